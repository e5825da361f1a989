import { createHash } from 'node:crypto';
import { type CalendarDate, daysInMonth, fromParts, toEpochDay } from '../../../../kernel/dates.js';
import { currencyExponent, isCurrencyCode, type Minor, parseMajor } from '../../../../kernel/money.js';

/**
 * Leaf value conversions. Each returns undefined for text it cannot read; the caller turns that into an error that
 * names the element and its line.
 */

// Fields of the last date scanned. The parser is synchronous and never re-enters, so one scratch record serves all
// calls and the hot path allocates nothing for dates.
const scanned = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millis: 0, offsetMinutes: 0 };

const digitAt = (t: string, i: number): number => {
  const d = t.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
};

function digits(t: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = digitAt(t, i);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * OFX date-time: `YYYYMMDD`, `YYYYMMDDHHMM`, `YYYYMMDDHHMMSS`, optional `.XXX` after the seconds, then an optional
 * zone `[±h[.mm][:NAME]]`. Offsets may be fractional: `[-3.30:NST]` is three and a half hours west (two digits
 * after the point are minutes; a single digit is tenths of an hour, `[+5.5]` = +05:30).
 */
function scanDate(t: string): boolean {
  const n = t.length;
  const year = digits(t, 0, 4);
  const month = digits(t, 4, 2);
  const day = digits(t, 6, 2);
  if (n < 8 || year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let run = 0;
  while (digitAt(t, 8 + run) >= 0) run++;
  if (run !== 0 && run !== 4 && run !== 6) return false;
  if (run >= 4) {
    hour = digits(t, 8, 2);
    minute = digits(t, 10, 2);
    second = run === 6 ? digits(t, 12, 2) : 0;
    if (hour > 23 || minute > 59 || second > 59) return false;
  }
  let i = 8 + run;
  if (run === 6 && t.charCodeAt(i) === 46 /* . */) {
    let f = 0;
    while (digitAt(t, i + 1 + f) >= 0) f++;
    if (f === 0) return false;
    millis = Math.floor(digits(t, i + 1, Math.min(f, 3)) * 10 ** (3 - Math.min(f, 3)));
    i += 1 + f;
  }
  let offsetMinutes = 0;
  if (t.charCodeAt(i) === 91 /* [ */) {
    const close = t.indexOf(']', i);
    if (close !== n - 1) return false;
    const zone = parseZone(t, i + 1, close);
    if (zone === undefined) return false;
    offsetMinutes = zone;
    i = n;
  }
  if (i !== n) return false;
  scanned.year = year;
  scanned.month = month;
  scanned.day = day;
  scanned.hour = hour;
  scanned.minute = minute;
  scanned.second = second;
  scanned.millis = millis;
  scanned.offsetMinutes = offsetMinutes;
  return true;
}

/** `±h[.m|.mm][:NAME]` inside the brackets, in minutes east of GMT; hand-scanned, as every posted date has one. */
function parseZone(t: string, from: number, to: number): number | undefined {
  let i = from;
  while (i < to && t.charCodeAt(i) === 32) i++;
  const sign = t.charCodeAt(i);
  if (sign === 43 || sign === 45) i++;
  const hoursFrom = i;
  while (i < to && digitAt(t, i) >= 0) i++;
  if (i === hoursFrom || i - hoursFrom > 2) return undefined;
  const hours = digits(t, hoursFrom, i - hoursFrom);
  let minutes = 0;
  if (t.charCodeAt(i) === 46 /* . */) {
    const fractionFrom = ++i;
    while (i < to && digitAt(t, i) >= 0) i++;
    const width = i - fractionFrom;
    if (width === 0 || width > 2) return undefined;
    // Two digits are minutes (`-3.30`); one digit is tenths of an hour (`+5.5`).
    minutes = width === 2 ? digits(t, fractionFrom, 2) : digits(t, fractionFrom, 1) * 6;
  }
  if (t.charCodeAt(i) === 58 /* : */) {
    const nameFrom = ++i;
    while (i < to && isZoneNameCode(t.charCodeAt(i))) i++;
    if (i === nameFrom || !isLetterCode(t.charCodeAt(nameFrom))) return undefined;
  }
  while (i < to && t.charCodeAt(i) === 32) i++;
  if (i !== to || hours > 14 || minutes > 59) return undefined;
  return (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
}

const isLetterCode = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isZoneNameCode = (c: number): boolean =>
  isLetterCode(c) || (c >= 48 && c <= 57) || c === 95 || c === 47 || c === 43 || c === 45;

// Calendar-date strings by yyyymmdd. A statement has a few hundred distinct dates and thousands of transactions,
// so sharing one string per date saves an allocation per transaction and memory in the result.
const dateStrings = new Map<number, CalendarDate>();

/** The calendar date as written in the file's own zone: the first eight digits, never shifted to UTC. */
export function ofxDate(text: string): CalendarDate | undefined {
  if (!scanDate(text)) return undefined;
  const key = scanned.year * 10000 + scanned.month * 100 + scanned.day;
  let date = dateStrings.get(key);
  if (date === undefined) {
    if (dateStrings.size >= 100_000) dateStrings.clear();
    date = fromParts(scanned.year, scanned.month, scanned.day);
    dateStrings.set(key, date);
  }
  return date;
}

/** The instant an OFX date-time denotes, as an ISO 8601 UTC string. No zone means GMT (OFX 3.2.8.2). */
export function ofxInstant(text: string): string | undefined {
  if (!scanDate(text)) return undefined;
  const { year, month, day, hour, minute, second, millis, offsetMinutes } = scanned;
  const epochDay = toEpochDay(fromParts(year, month, day));
  const ms = ((epochDay * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + millis;
  return new Date(ms).toISOString();
}

/**
 * A decimal amount in major units (`-1006.60`, `+0012.5000`, `-1006,60`) to integer minor units of `currency`.
 * Amounts with no more fraction digits than the currency's exponent convert exactly with integer arithmetic; any
 * other text goes through the kernel's `parseMajor`, which validates it and rounds half-even. Both paths give the
 * same result for every input (see values.test.ts); the first only avoids a Decimal per transaction.
 */
export function amountToMinor(text: string, currency: string): Minor | undefined {
  const exp = currencyExponent(currency) ?? 2;
  const n = text.length;
  let i = 0;
  const sign = text.charCodeAt(0);
  if (sign === 45 || sign === 43) i = 1;
  let whole = 0;
  let wholeDigits = 0;
  let d = digitAt(text, i);
  while (d >= 0) {
    whole = whole * 10 + d;
    wholeDigits++;
    d = digitAt(text, ++i);
  }
  let fraction = 0;
  let fractionDigits = 0;
  const separator = text.charCodeAt(i);
  if (separator === 46 || separator === 44) {
    d = digitAt(text, ++i);
    while (d >= 0) {
      fraction = fraction * 10 + d;
      fractionDigits++;
      d = digitAt(text, ++i);
    }
  }
  const exact =
    i === n && wholeDigits + fractionDigits > 0 && fractionDigits <= exp && wholeDigits + exp <= 15;
  const minor = exact
    ? (whole * 10 ** exp + fraction * 10 ** (exp - fractionDigits)) * (sign === 45 ? -1 : 1)
    : safeParseMajor(text, currency);
  return minor === 0 ? 0 : minor; // no negative zero
}

function safeParseMajor(text: string, currency: string): Minor | undefined {
  try {
    return parseMajor(text, currency, 'half_even');
  } catch (e) {
    if (e instanceof RangeError) return undefined; // beyond the safe integer range
    throw e;
  }
}

const DECIMAL = /^([+-]?)(\d*)(?:[.,](\d*))?$/;

/** A quantity or price as a canonical decimal string (`+0012,50` -> `12.5`), never a float. */
export function decimalText(text: string): string | undefined {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const whole = m[2]!.replace(/^0+(?=\d)/, '') || '0';
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const abs = fraction ? `${whole}.${fraction}` : whole;
  return m[1] === '-' && abs !== '0' ? `-${abs}` : abs;
}

/** An ISO 4217 code (CURDEF, CURSYM), upper-cased. */
export function currencyCode(text: string): string | undefined {
  const code = text.toUpperCase();
  return isCurrencyCode(code) ? code : undefined;
}

/** `****1234` from the last four letters or digits of an account number; the rest is never kept. */
export function maskAccountNumber(accountId: string): string {
  const alnum = accountId.replace(/[^0-9A-Za-z]/g, '');
  return `****${alnum.slice(-4)}`;
}

/**
 * A stable, opaque account id: SHA-256 over the parts that identify the account at its institution (statement kind,
 * bank or broker id, account id, account type), truncated to 128 bits. Re-importing the same account yields the same
 * id, and the id does not show the account number. It is pseudonymous, not secret: account numbers are guessable
 * enough that a determined party could brute-force the hash, so it must not be treated as a protection.
 */
export function providerAccountId(parts: readonly string[]): string {
  return `ofx_${createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32)}`;
}
