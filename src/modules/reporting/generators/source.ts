import { z } from 'zod';
import { type CalendarDate, dateSchema } from '../../../kernel/dates.js';
import type { ComplianceCheck } from '../../compliance/index.js';
import type { LendingReportSource, LoanTapeRecord } from '../../lending/index.js';
import type { Customer } from '../../tenancy/index.js';

/**
 * What a generator reads, for one tenant: lending's report port and compliance's exceptions. The module's wiring
 * builds it per run; generators never see the database.
 */
export interface ReportSource {
  tenantId: string;
  lending: LendingReportSource;
  exceptions(period: { from: Date; to: Date }): AsyncIterable<ComplianceCheck>;
  /** The tenant's customers of these ids (those found). */
  customers(ids: readonly string[]): Promise<Map<string, Customer>>;
  /** Their tax ids (SSNs), opened: only a Metro 2 file asks, as it writes the consumers' records. */
  taxIds(ids: readonly string[]): Promise<Map<string, string>>;
}

/** Parameters most reports share. `program_id` must name one of the tenant's programs (checked by the service). */
export const programParam = { program_id: z.uuid().optional() };

/** An aggregate in one currency: loans in other currencies are left out (and counted in the summary). */
export const currencyParam = {
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. USD')
    .default('USD'),
};

/** A closed date range; `to` before `from` is a 422 naming `to`. */
export function periodParams<S extends z.ZodRawShape>(extra: S) {
  return z
    .strictObject({ from: dateSchema, to: dateSchema, ...extra })
    .refine((p) => (p as { from: string }).from <= (p as { to: string }).to, {
      message: 'must not be before from',
      path: ['to'],
    });
}

/** [from, to] as the instants [from 00:00Z, the day after to 00:00Z). */
export function instants(from: CalendarDate, to: CalendarDate): { from: Date; to: Date } {
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { from: new Date(`${from}T00:00:00Z`), to: end };
}

/** A money column whose currency is the row's `currency` column. */
export const moneyColumn = (key: string, label: string) =>
  ({ key, label, type: 'money', currency: { column: 'currency' } }) as const;

/** What a loan owes in all: principal, accrued interest, fees and penalties receivable. */
export const balanceOf = (l: LoanTapeRecord) => l.principal + l.interest + l.fees + l.penalties;

/** Loans of the report's currency; the others are counted so the summary says what was left out. */
export async function* inCurrency(
  loans: AsyncIterable<LoanTapeRecord>,
  currency: string,
  skipped: { n: number },
): AsyncIterable<LoanTapeRecord> {
  for await (const l of loans) {
    if (l.currency === currency) yield l;
    else skipped.n++;
  }
}
