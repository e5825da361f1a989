import { currencyExponent } from '../../../../kernel/money.js';
import type { CellValue, ReportColumn, ReportRow } from '../generator.js';

/** How each column type appears in text formats (CSV) and which currency a money cell is in. */

export function currencyOf<R extends ReportRow>(column: ReportColumn<R>, row: R): string | undefined {
  const c = column.currency;
  if (!c) return undefined;
  return 'code' in c ? c.code : ((row[c.column] as string | null) ?? undefined);
}

/** Minor-unit exponent of a currency; 2 when the currency is unknown or not given. */
export const exponentOf = (currency: string | undefined): number =>
  (currency ? currencyExponent(currency) : undefined) ?? 2;

/**
 * Integer minor units → a decimal string in major units ("1234.56"), exact. Amounts are safe integers, so their
 * digits are split as text: a loan tape writes millions of these, and a Decimal per cell was its largest cost.
 */
export function majorUnits(minor: number, currency: string | undefined): string {
  const exponent = exponentOf(currency);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an amount in minor units: ${minor}`);
  const digits = String(Math.abs(minor));
  const sign = minor < 0 ? '-' : '';
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

export function textOf<R extends ReportRow>(column: ReportColumn<R>, row: R): string {
  const value: CellValue = row[column.key] ?? null;
  if (value === null || value === undefined) return '';
  if (column.type === 'money' && typeof value === 'number') return majorUnits(value, currencyOf(column, row));
  if (column.type === 'boolean') return value ? 'true' : 'false';
  return String(value);
}
