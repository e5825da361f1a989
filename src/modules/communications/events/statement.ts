import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { LoanService, NoticeLoan } from '../../lending/index.js';

/** What a line's events show on its statement: credits negative (the periodic_statement template's convention). */
const LINES: Record<string, { description: string; sign: 1 | -1 }> = {
  draw: { description: 'Draw', sign: 1 },
  payment: { description: 'Payment', sign: -1 },
  payment_reversal: { description: 'Payment returned', sign: 1 },
  fee: { description: 'Fee', sign: 1 },
};

/**
 * The periodic_statement template's variables for the statement servicing cut on `closed`: the statement exactly
 * as `GET /v1/loans/{id}` shows it (lending's statement JSON), the cycle's transactions from the line's events,
 * and the late fee a missed minimum costs (a flat fee; null when the fee is a percent or there is none).
 */
export async function statementVariables(
  loans: LoanService,
  scope: Scope,
  s: NoticeLoan & { number: number },
  closed: CalendarDate,
): Promise<Record<string, unknown> | null> {
  const found = await loans.details(scope, s.loanId);
  if (!found.ok) return null;
  const { events, extra, loan } = found.value;
  const statements = (extra.statements ?? []) as Record<string, unknown>[];
  const statement = statements.find((x) => x.number === s.number && x.period_end === closed);
  if (!statement) return null;
  const start = String(statement.period_start);
  const amountOf = (payload: Record<string, unknown>): number => {
    if (typeof payload.amount === 'number') return payload.amount;
    const reversed = events.find((e) => e.id === payload.paymentId);
    return Number(reversed?.payload.amount ?? 0);
  };
  const transactions = events
    .filter((e) => LINES[e.type] && e.effectiveDate >= start && e.effectiveDate <= closed)
    .map((e) => {
      const line = LINES[e.type]!;
      const description =
        typeof e.payload.description === 'string' ? e.payload.description : line.description;
      return { date: e.effectiveDate, description, amount: line.sign * amountOf(e.payload) };
    });
  const lateFee = (loan.terms as { lateFee?: { type?: string; amount?: number } | null }).lateFee;
  return {
    currency: s.currency,
    loan: { reference: s.reference },
    statement,
    transactions,
    late_fee: lateFee?.type === 'flat' && typeof lateFee.amount === 'number' ? lateFee.amount : null,
  };
}
