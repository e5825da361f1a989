import type { Balances } from '../journal/posting.js';
import type { InstallmentRow, LedgerLine, LoanServicing } from '../product.js';
import type { JournalRow } from '../tables.js';
import type { EventRecord, LoanSummary, LoanView } from './store.js';

/** Wire JSON (snake_case) of loans, their events, schedule rows and journal. */

export function loanJson(l: LoanView, servicing: LoanServicing | null) {
  return {
    ...loanSummaryJson(l),
    terms: servicing ? servicing.termsJson(l.terms) : l.terms,
    disclosure: l.disclosure,
    originator_disclosure: l.originatorDisclosure,
  };
}

export function loanSummaryJson(l: LoanSummary) {
  return {
    id: l.id,
    program_id: l.programId,
    product: l.product,
    customer_id: l.customerId,
    external_ref: l.externalRef,
    currency: l.currency,
    status: l.status,
    amount: l.amount,
    start_date: l.startDate,
    maturity_date: l.maturityDate,
    days_past_due: l.daysPastDue,
    delinquency_bucket: l.delinquencyBucket,
    credit_balance: l.creditBalance,
    next_due_date: l.nextDueDate,
    version: l.version,
    created_at: l.createdAt.toISOString(),
    updated_at: l.updatedAt.toISOString(),
  };
}

export function eventJson(
  e:
    | EventRecord
    | (Omit<EventRecord, 'tenantId' | 'loanId' | 'businessDate' | 'actor' | 'recordedAt'> &
        Partial<EventRecord>),
  effects?: Record<string, unknown>,
) {
  const payload = e.payload as { amount?: number; paymentId?: string };
  return {
    id: e.id,
    sequence: e.sequence,
    type: e.type,
    effective_date: e.effectiveDate,
    ...(payload.amount !== undefined && { amount: payload.amount }),
    ...(payload.paymentId !== undefined && { payment_id: payload.paymentId }),
    ...(e.businessDate && { business_date: e.businessDate }),
    ...(e.recordedAt && { recorded_at: e.recordedAt.toISOString() }),
    ...effects,
  };
}

const amountsJson = (a: InstallmentRow['due']) => ({
  principal: a.principal,
  interest: a.interest,
  fees: a.fees,
  penalties: a.penalties,
});

export function installmentJson(r: InstallmentRow) {
  const outstanding = {
    principal: r.due.principal - r.paid.principal - r.waived.principal,
    interest: r.due.interest - r.paid.interest - r.waived.interest,
    fees: r.due.fees - r.paid.fees - r.waived.fees,
    penalties: r.due.penalties - r.paid.penalties - r.waived.penalties,
  };
  return {
    number: r.number,
    period_start: r.periodStart,
    due_date: r.dueDate,
    principal: r.due.principal,
    interest: r.due.interest,
    fees: r.due.fees + r.due.penalties,
    total: r.due.principal + r.due.interest + r.due.fees + r.due.penalties,
    balance: null as number | null,
    due: amountsJson(r.due),
    paid: amountsJson(r.paid),
    waived: amountsJson(r.waived),
    outstanding,
    interest_recognised: r.accrued,
    late_fee_assessed: r.lateFeeAssessed,
  };
}

/** Schedule rows with the scheduled principal balance after each row. */
export function scheduleJson(rows: readonly InstallmentRow[], amount: number) {
  let balance = amount;
  return rows.map((r) => {
    balance -= r.due.principal;
    return { ...installmentJson(r), balance };
  });
}

/** The journal as entries: consecutive rows sharing date, kind and event, their legs merged by account and side. */
export function journalJson(rows: readonly JournalRow[]) {
  const entries: { entry_date: string; kind: string; event_id: string | null; lines: LedgerLine[] }[] = [];
  for (const r of rows) {
    let last = entries.at(-1);
    if (!last || last.entry_date !== r.entryDate || last.kind !== r.kind || last.event_id !== r.eventId) {
      last = { entry_date: r.entryDate, kind: r.kind, event_id: r.eventId, lines: [] };
      entries.push(last);
    }
    const lines = last.lines;
    const add = (account: string, side: 'debit' | 'credit') => {
      const line = lines.find((l) => l.account === account && l.side === side);
      if (line) (line as { amount: number }).amount += r.amount;
      else lines.push({ account, side, amount: r.amount });
    };
    add(r.debitAccount, 'debit');
    add(r.creditAccount, 'credit');
  }
  return entries;
}

export function balancesOf(rows: readonly JournalRow[]): Balances {
  const b: Balances = {};
  for (const r of rows) {
    b[r.debitAccount] = (b[r.debitAccount] ?? 0) + r.amount;
    b[r.creditAccount] = (b[r.creditAccount] ?? 0) - r.amount;
  }
  return Object.fromEntries(Object.entries(b).filter(([, v]) => v !== 0));
}
