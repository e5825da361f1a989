import { Decimal } from 'decimal.js';
import { type CalendarDate, dateInZone, isCalendarDate } from '../../../kernel/dates.js';
import { type Minor, parseMajor } from '../../../kernel/money.js';

/**
 * What provider mappers share: reading vendor JSON field by field, and mapping a batch so that one bad record
 * is skipped and reported instead of failing the sync or being coerced into something it is not. A field that
 * is absent maps to null; a field that is present but unreadable makes the record skipped.
 */

export interface SkippedRecord {
  /** Position of the record in the batch. */
  index: number;
  /** The vendor's id for it, when one could be read. */
  providerId: string | null;
  reason: string;
}

export interface Mapped<T> {
  items: T[];
  skipped: SkippedRecord[];
}

/** Thrown by the field readers below; `mapRecords` turns it into a skipped record. */
export class RecordError extends Error {
  override name = 'RecordError';
}

export type Json = Record<string, unknown>;

export function mapRecords<T>(
  records: readonly unknown[],
  idOf: (record: unknown) => string | null,
  map: (record: Json) => T,
): Mapped<T> {
  const out: Mapped<T> = { items: [], skipped: [] };
  records.forEach((raw, index) => {
    let providerId: string | null = null;
    try {
      providerId = idOf(raw);
      out.items.push(map(asRecord(raw, 'record')));
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      out.skipped.push({ index, providerId, reason: e.message });
    }
  });
  return out;
}

export function asRecord(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new RecordError(`${path} is not an object`);
  return value as Json;
}

/** The value at a dotted path; undefined when any step is absent or null. */
export function at(o: Json, path: string): unknown {
  let cur: unknown = o;
  const steps = path.split('.');
  for (let i = 0; i < steps.length; i++) {
    if (cur === undefined || cur === null) return undefined;
    cur = asRecord(cur, steps.slice(0, i).join('.') || 'record')[steps[i]!];
  }
  return cur ?? undefined;
}

export function optionalText(o: Json, path: string): string | null {
  const v = at(o, path);
  if (v === undefined) return null;
  if (typeof v !== 'string') throw new RecordError(`${path} is not a string`);
  return v.trim() === '' ? null : v.trim();
}

export function text(o: Json, path: string): string {
  const v = optionalText(o, path);
  if (v === null) throw new RecordError(`${path} is missing`);
  return v;
}

/** An id the vendor may send as a string or an integer. */
export function idText(o: Json, path: string): string {
  const v = at(o, path);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return text(o, path);
}

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A JSON number or a numeric string as a plain decimal string ("1e-7" → "0.0000001"), or undefined. */
export function decimalText(v: unknown): string | undefined {
  let d: Decimal;
  if (typeof v === 'number' && Number.isFinite(v)) d = new Decimal(v);
  else if (typeof v === 'string' && DECIMAL_RE.test(v.trim())) d = new Decimal(v.trim());
  else return undefined;
  return d.isZero() ? '0' : d.toFixed();
}

export function optionalDecimal(o: Json, path: string): string | null {
  const v = at(o, path);
  if (v === undefined || v === '') return null;
  const d = decimalText(v);
  if (d === undefined) throw new RecordError(`${path} is not a number`);
  return d;
}

export function decimal(o: Json, path: string): string {
  const v = optionalDecimal(o, path);
  if (v === null) throw new RecordError(`${path} is missing`);
  return v;
}

/** A major-unit amount (dollars) as minor units (cents), rounded half-even. */
export function toMinor(amount: string, currency: string, path: string): Minor {
  const m = parseMajor(amount, currency);
  if (m === undefined) throw new RecordError(`${path} is not an amount`);
  return m === 0 ? 0 : m;
}

export function optionalMinor(o: Json, path: string, currency: string): Minor | null {
  const d = optionalDecimal(o, path);
  return d === null ? null : toMinor(d, currency, path);
}

export function minor(o: Json, path: string, currency: string): Minor {
  return toMinor(decimal(o, path), currency, path);
}

/** RFC 3339 / ISO 8601 instants, including Schwab's `+0000` offsets. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseInstant(s: string, path: string): Date {
  const t = INSTANT_RE.test(s) ? Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
  if (Number.isNaN(t)) throw new RecordError(`${path} is not a timestamp`);
  return new Date(t);
}

/**
 * A calendar date from a vendor field holding either a date or an instant. An instant is read on the
 * provider's business calendar (`zone`): a US broker's 21:30 UTC trade belongs to that New York day.
 */
export function optionalDate(o: Json, path: string, zone: string): CalendarDate | null {
  const v = optionalText(o, path);
  if (v === null) return null;
  if (isCalendarDate(v)) return v;
  return dateInZone(parseInstant(v, path), zone);
}

export function calendarDate(o: Json, path: string, zone: string): CalendarDate {
  const d = optionalDate(o, path, zone);
  if (d === null) throw new RecordError(`${path} is missing`);
  return d;
}

/** `****1234`: the last four characters only, and nothing at all of a number that short. */
export function maskAccountNumber(accountNumber: string): string {
  const n = accountNumber.trim();
  return n.length > 4 ? `****${n.slice(-4)}` : '****';
}
