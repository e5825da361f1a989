import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { CsvError, type CsvRecord, ofacValue, parseCsv } from './csv.js';
import { type BirthDate, datesOfBirth } from './dob.js';

/**
 * OFAC's SDN list as published in its legacy CSV files (data specification of the SDN list):
 *
 *   sdn.csv  ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
 *            Vess_owner, Remarks                                     (12 columns)
 *   alt.csv  ent_num, alt_num, alt_type (aka | fka | nka), alt_name, alt_remarks      (5 columns)
 *
 * SDN_Type is `individual`, `vessel` or `aircraft`, and null for an entity. Individuals are named
 * "LAST, First Middle". Several programs share one field as "SDGT] [IRGC". Dates of birth sit in the remarks
 * ("DOB 10 Dec 1948; POB ..."). One bad record rejects the upload, so the previous list stays in force.
 */
export type SdnType = 'individual' | 'entity' | 'vessel' | 'aircraft';

export interface SdnAlias {
  altNum: number;
  type: 'aka' | 'fka' | 'nka';
  name: string;
}

export interface SdnEntry {
  entNum: number;
  name: string;
  type: SdnType;
  programs: string[];
  remarks: string | null;
  datesOfBirth: BirthDate[];
  aliases: SdnAlias[];
}

export interface SdnList {
  entries: SdnEntry[];
  aliasCount: number;
}

const SDN_COLUMNS = 12;
const ALT_COLUMNS = 5;
const TYPES: Record<string, SdnType> = { individual: 'individual', vessel: 'vessel', aircraft: 'aircraft' };

class FileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function integer(file: string, record: CsvRecord, index: number, column: string): number {
  const raw = record.fields[index]!.trim();
  if (!/^\d{1,9}$/.test(raw))
    throw new FileError(file, record.line, `${column} must be a whole number, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

function records(file: string, text: string, columns: number): CsvRecord[] {
  let parsed: CsvRecord[];
  try {
    parsed = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new FileError(file, e.line, e.message.replace(/^line \d+: /, ''));
    throw e;
  }
  for (const r of parsed) {
    if (r.fields.length !== columns)
      throw new FileError(file, r.line, `expected ${columns} columns, found ${r.fields.length}`);
  }
  return parsed;
}

function sdnEntry(record: CsvRecord): SdnEntry {
  const entNum = integer('sdn.csv', record, 0, 'ent_num');
  const name = ofacValue(record.fields[1]!);
  if (!name) throw new FileError('sdn.csv', record.line, 'SDN_Name is empty');
  const rawType = ofacValue(record.fields[2]!);
  const type = rawType === null ? 'entity' : TYPES[rawType.toLowerCase()];
  if (!type) throw new FileError('sdn.csv', record.line, `unknown SDN_Type ${JSON.stringify(rawType)}`);
  const programs = (ofacValue(record.fields[3]!) ?? '')
    .split(/\]\s*\[/)
    .map((p) => p.replace(/[[\]]/g, '').trim())
    .filter((p) => p.length > 0);
  const remarks = ofacValue(record.fields[11]!);
  return { entNum, name, type, programs, remarks, datesOfBirth: datesOfBirth(remarks), aliases: [] };
}

function addAlias(byNum: Map<number, SdnEntry>, record: CsvRecord): void {
  const entNum = integer('alt.csv', record, 0, 'ent_num');
  const entry = byNum.get(entNum);
  if (!entry) throw new FileError('alt.csv', record.line, `ent_num ${entNum} is not in sdn.csv`);
  const altNum = integer('alt.csv', record, 1, 'alt_num');
  const type = ofacValue(record.fields[2]!)?.toLowerCase();
  if (type !== 'aka' && type !== 'fka' && type !== 'nka')
    throw new FileError(
      'alt.csv',
      record.line,
      `alt_type must be aka, fka or nka, not ${JSON.stringify(type ?? null)}`,
    );
  const name = ofacValue(record.fields[3]!);
  if (!name) throw new FileError('alt.csv', record.line, 'alt_name is empty');
  entry.aliases.push({ altNum, type, name });
}

/** Parses sdn.csv and (optionally) alt.csv; any error names the file and line and rejects both. */
export function parseSdnFiles(files: { sdn: string; alt?: string }): Result<SdnList> {
  try {
    const byNum = new Map<number, SdnEntry>();
    for (const record of records('sdn.csv', files.sdn, SDN_COLUMNS)) {
      const entry = sdnEntry(record);
      if (byNum.has(entry.entNum))
        throw new FileError('sdn.csv', record.line, `ent_num ${entry.entNum} appears twice`);
      byNum.set(entry.entNum, entry);
    }
    if (byNum.size === 0) throw new FileError('sdn.csv', 1, 'the file has no entries');
    const altRecords = files.alt === undefined ? [] : records('alt.csv', files.alt, ALT_COLUMNS);
    for (const record of altRecords) addAlias(byNum, record);
    return ok({ entries: [...byNum.values()], aliasCount: altRecords.length });
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    return err(
      failure('unprocessable', 'invalid_sdn_file', `${e.file} line ${e.line}: ${e.message}`, {
        fields: [{ path: e.file, message: `line ${e.line}: ${e.message}` }],
        extra: { file: e.file, line: e.line },
      }),
    );
  }
}
