import { type CalendarDate, isCalendarDate } from '../../../../kernel/dates.js';
import { err, type FieldIssue, failure, ok, type Result } from '../../../../kernel/result.js';
import { type FieldSpec, RECORD_LENGTH } from './layout.js';

export type FieldValue = string | number | CalendarDate | Date | undefined | null;

/** Text as Metro 2 takes it: printable ASCII in upper case; accents dropped, anything else a blank. */
export function metro2Text(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\x20-\x7E]/g, ' ')
    .toUpperCase();
}

const mmddyyyy = (d: CalendarDate) => `${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(0, 4)}`;

function timestamp(d: Date): string {
  const iso = d.toISOString(); // UTC: YYYY-MM-DDTHH:MM:SS
  return `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(0, 4)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

function encodeField(f: FieldSpec, value: FieldValue): string | string[] {
  const empty = value === undefined || value === null || value === '';
  switch (f.kind) {
    case 'R':
      return ' '.repeat(f.length);
    case 'A': {
      if (empty) return ' '.repeat(f.length);
      const text = metro2Text(String(value));
      if (text.length > f.length && !f.truncate) return [`longer than ${f.length} characters`];
      return text.slice(0, f.length).padEnd(f.length, ' ');
    }
    case 'N': {
      if (empty) return '0'.repeat(f.length);
      const digits =
        typeof value === 'number'
          ? Number.isSafeInteger(value) && value >= 0
            ? String(value)
            : ''
          : String(value);
      if (!/^\d+$/.test(digits)) return ['must be a whole number of 0 or more'];
      if (digits.length > f.length) return [`more than ${f.length} digits`];
      return digits.padStart(f.length, '0');
    }
    case 'D': {
      if (empty) return '0'.repeat(f.length);
      if (typeof value !== 'string' || !isCalendarDate(value)) return ['must be a date YYYY-MM-DD'];
      return mmddyyyy(value);
    }
    case 'T': {
      if (empty) return '0'.repeat(f.length);
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) return ['must be an instant'];
      return timestamp(value);
    }
  }
}

/** One fixed-width record: every field in place, exactly 426 bytes of ASCII, or every field that does not fit. */
export function encodeRecord(
  fields: readonly FieldSpec[],
  values: Readonly<Record<string, FieldValue>>,
  path = '',
): Result<string> {
  const issues: FieldIssue[] = [];
  let out = '';
  for (const f of fields) {
    const encoded = encodeField(f, values[f.key]);
    if (Array.isArray(encoded)) {
      issues.push(...encoded.map((message) => ({ path: `${path}${f.key}`, message })));
      out += ' '.repeat(f.length);
    } else out += encoded;
  }
  if (issues.length > 0)
    return err(
      failure('unprocessable', 'invalid_metro2_record', 'the record does not fit the Metro 2 layout', {
        fields: issues,
      }),
    );
  if (out.length !== RECORD_LENGTH) throw new Error(`Metro 2 record of ${out.length} bytes`);
  return ok(out);
}

/** Reads a field back out of a record (tests, and reconciling a file against its source). */
export const fieldOf = (record: string, f: FieldSpec): string =>
  record.slice(f.start - 1, f.start - 1 + f.length);
