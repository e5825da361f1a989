/**
 * The CSV dialect of OFAC's legacy files (sdn.csv, alt.csv, add.csv): no header row, records separated by CR
 * (in practice CRLF), fields by commas, text in double quotes (a quote inside doubled, as RFC 4180), nulls written
 * as `-0-` (usually `"-0- "`). The files end with an ASCII SUB (0x1A) character, which is ignored.
 * Any malformed record fails the whole parse: a sanctions list is used whole or not at all.
 */
export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;
const SUB = 26;

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) {
      // Blank line between records.
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
      continue;
    }
    if (c === SUB && text.slice(i + 1).trim() === '') break;
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text.charCodeAt(i) === QUOTE) {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(start, 'a quoted field is not closed');
          const q = text.indexOf('"', i);
          if (q < 0) throw new CsvError(start, 'a quoted field is not closed');
          const chunk = text.slice(i, q);
          for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === LF) line++;
          value += chunk;
          i = q + 1;
          if (text.charCodeAt(i) === QUOTE) {
            value += '"';
            i++;
            continue;
          }
          break;
        }
        const next = text.charCodeAt(i);
        if (i < n && next !== COMMA && next !== CR && next !== LF) {
          throw new CsvError(line, `unexpected character after a quoted field: ${JSON.stringify(text[i])}`);
        }
      } else {
        let j = i;
        while (j < n) {
          const ch = text.charCodeAt(j);
          if (ch === COMMA || ch === CR || ch === LF) break;
          if (ch === QUOTE) throw new CsvError(line, 'a quote inside an unquoted field');
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    records.push({ line: start, fields });
  }
  return records;
}

/** `-0-` (with or without the trailing space OFAC writes) is null; other values are trimmed. */
export const ofacValue = (field: string): string | null => {
  const v = field.trim();
  return v === '-0-' || v === '' ? null : v;
};
