import { addDays, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { DEFAULT_DELINQUENCY_BUCKETS, delinquencyBucket } from '../../domain/installment/index.js';
import type { LineTerms } from '../../domain/revolving/index.js';
import type { EventDraft, LoanProjection, LoanServicing } from '../../product.js';
import { unsupported as refuse, reversalPayload } from '../support.js';
import { lineCloseOfBusiness } from './cob.js';
import { termsJson } from './json.js';
import { movementDays, priorYearSum } from './ledger.js';
import { lineStore } from './product-store.js';
import { replayLine } from './replay.js';
import { isServiced, type LineReplay, oldestUnpaidDue, type StatementRecord } from './state.js';
import type { CreditLineValues } from './store.js';

/** What a line's projection carries besides the generic columns: its cycle row and its statements. */
export interface LineProduct {
  line: CreditLineValues | null;
  statements: readonly StatementRecord[];
}

const termsOf = (snapshot: unknown): LineTerms => snapshot as LineTerms;

const unsupported = (action: string) => refuse('line_of_credit', action);

/** The cycle row of a replayed line (null before it opens). */
function lineValues(r: LineReplay): CreditLineValues | null {
  const line = r.line;
  if (!line) return null;
  const last = line.lastStatement;
  const total = (kind: string) =>
    line.postings.filter((p) => p.kind === kind).reduce((s, p) => s + p.amount, 0);
  const accruedThrough = r.accruedThrough ?? addDays(r.terms.openDate, -1);
  return {
    creditLimit: line.creditLimit,
    cycleDay: r.terms.cycleDay,
    paymentDueDays: r.terms.paymentDueDays,
    minimumFloor: r.terms.minimumPayment.floor,
    minimumPercent: r.terms.minimumPayment.percent,
    installmentMultiple: r.terms.rounding.installmentMultiple,
    principal: line.principal,
    interest: line.interest,
    fees: line.fees,
    cycleStart: line.cycleStart,
    cycleEnd: line.cycleEnd,
    openingPrincipal: line.opening.principal,
    openingInterest: line.opening.interest,
    openingFees: line.opening.fees,
    cycleDraws: total('draw'),
    cyclePayments: total('payment'),
    cycleFees: total('fee'),
    movementDays: movementDays(line),
    priorYearSum: priorYearSum(line, accruedThrough),
    accrued: r.accrued,
    accruedThrough,
    statementCount: r.statements.length,
    lastStatementDate: last?.statementDate ?? null,
    lastDueDate: last?.dueDate ?? null,
    lastMinimum: last?.minimumPayment ?? 0,
    lastPastDue: r.pastDue,
    pastDueSince: r.pastDueSince,
    paidSinceStatement: last?.paidSinceStatement ?? 0,
    paidInTime: last?.paidInTime ?? 0,
    lateFeeAssessed: last?.lateFeeAssessed ?? false,
    writtenOff: r.writtenOff,
    recovered: r.recovered,
  };
}

/**
 * The generic projection of a replayed line. Days past due count from the oldest unpaid minimum payment's due
 * date; the next due date is the last statement's while its minimum is unpaid; the late-fee date is the first day
 * after its due date and grace days. A line close of business no longer visits has none of them.
 */
export function project(r: LineReplay, asOf: CalendarDate): LoanProjection {
  const serviced = isServiced(r);
  const last = serviced ? r.line.lastStatement : null;
  const oldest = serviced ? oldestUnpaidDue(r) : null;
  const dpd = oldest !== null && oldest < asOf ? daysBetween(oldest, asOf) : 0;
  const fee = r.terms.lateFee;
  const product: LineProduct = { line: lineValues(r), statements: r.statements };
  return {
    status: r.status,
    cobActive: serviced,
    daysPastDue: dpd,
    delinquencyBucket: delinquencyBucket(dpd, DEFAULT_DELINQUENCY_BUCKETS),
    creditBalance: 0,
    nextDueDate: last && last.paidSinceStatement < last.minimumPayment ? last.dueDate : null,
    oldestUnpaidDue: oldest,
    nextLateFeeOn:
      last && fee && !last.lateFeeAssessed && last.minimumPayment > 0
        ? addDays(last.dueDate, fee.graceDays + 1)
        : null,
    accrualCursor: null,
    installments: [],
    journal: r.journal,
    effects: r.effects,
    product,
  };
}

export const lineServicing: LoanServicing = {
  product: 'line_of_credit',
  closeOfBusiness: lineCloseOfBusiness,
  store: lineStore,

  event(input, loan, businessDate): Result<EventDraft> {
    const effectiveDate =
      input.effectiveDate ?? (input.action === 'disburse' ? loan.startDate : businessDate);
    const d = input.details ?? {};
    switch (input.action) {
      case 'draw':
        return ok({
          type: 'draw',
          effectiveDate,
          payload: {
            amount: input.amount,
            ...(d.reference !== undefined && { reference: d.reference, source: d.source }),
          },
        });
      case 'payment':
        // The interest of the open cycle is billed on its statement; a payment pays what is billed.
        if (input.payoff) return unsupported('payoff payments');
        return ok({
          type: 'payment',
          effectiveDate,
          payload: {
            amount: input.amount,
            ...(d.reference !== undefined && { reference: d.reference, source: d.source }),
          },
        });
      case 'payment_reversal':
        return ok({ type: 'payment_reversal', effectiveDate, payload: reversalPayload(input, businessDate) });
      case 'fee':
        return ok({
          type: 'fee',
          effectiveDate,
          payload: { amount: input.amount, description: d.description ?? 'fee' },
        });
      case 'terminate':
      case 'rate_change':
      case 'disburse_tranche':
        return unsupported(input.action);
      default:
        return ok({ type: input.action, effectiveDate, payload: {} });
    }
  },

  replay(terms, events, asOf, { closeOfBusiness }) {
    const r = replayLine(termsOf(terms), events, asOf, { closeOfBusiness });
    return r.ok ? ok(project(r.value, asOf)) : r;
  },

  /**
   * What the line owes on `date`: its billed balance, payable now, and the open cycle's interest recognised
   * through the day before, which its next statement bills.
   */
  payoffQuote(terms, events, date) {
    const replayed = replayLine(termsOf(terms), events, date, { closeOfBusiness: false });
    if (!replayed.ok) return replayed;
    const r = replayed.value;
    if (!r.line || r.status === 'closed')
      return err(
        failure(
          'conflict',
          'invalid_state_transition',
          `a line of credit that is ${r.status} has no payoff`,
          {
            extra: { loan_status: r.status },
          },
        ),
      );
    const balance = r.line.principal + r.line.interest + r.line.fees;
    return ok({
      date,
      principal: r.line.principal,
      interest: r.line.interest,
      fees: r.line.fees,
      balance,
      interest_accrued: r.accrued,
      total: balance + r.accrued,
    });
  },

  termsJson: (terms) => termsJson(termsOf(terms)),
};
