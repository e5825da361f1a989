import type { CalendarDate } from '../../../kernel/dates.js';
import { addDays } from '../../../kernel/dates.js';
import { err, failure, invalidField, ok, type Result } from '../../../kernel/result.js';

/**
 * A loan's servicing status beside its money: whether it is placed with a collection agency (the servicer's own
 * collections or an outside agency), and whether its collateral was taken back (an involuntary repossession, or a
 * voluntary surrender). None of it moves money: the balance is what it was until the collateral is sold (the sale's
 * proceeds are a payment) and the deficiency paid, waived or charged off. So the status is not a loan event and
 * never reaches the replay; it is a history of dated records (migration 0018), and its state on a date is their
 * fold. Credit reporting (Metro 2's 93, 95, 96 and 61, 62, 63) reads it.
 */
export const STATUS_ACTIONS = [
  'collection_placement',
  'collection_recall',
  'repossession',
  'surrender',
  'reinstatement',
] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

export interface StatusRecord {
  sequence: number;
  action: StatusAction;
  effectiveDate: CalendarDate;
  /** The agency a placement went to (absent: the servicer's own collections). */
  agency: string | null;
  /**
   * The date of first delinquency as it stood when the record was made (the oldest unpaid due date + 30 days when
   * that had come by the effective date, else the effective date itself), frozen for the credit report.
   */
  firstDelinquency: CalendarDate | null;
}

export type CollateralRecovery = 'repossession' | 'surrender';

export interface ServicingStatus {
  collection: { agency: string | null; since: CalendarDate; firstDelinquency: CalendarDate | null } | null;
  collateral: { kind: CollateralRecovery; since: CalendarDate; firstDelinquency: CalendarDate | null } | null;
}

export const NO_STATUS: ServicingStatus = { collection: null, collateral: null };

/** The status on `date`: the records effective on or before it, in the order they were made. */
export function statusAsOf(records: readonly StatusRecord[], date: CalendarDate): ServicingStatus {
  let collection: ServicingStatus['collection'] = null;
  let collateral: ServicingStatus['collateral'] = null;
  for (const r of [...records].sort((a, b) => a.sequence - b.sequence)) {
    if (r.effectiveDate > date) continue;
    const since = { since: r.effectiveDate, firstDelinquency: r.firstDelinquency };
    if (r.action === 'collection_placement') collection = { agency: r.agency, ...since };
    else if (r.action === 'collection_recall') collection = null;
    else if (r.action === 'reinstatement') collateral = null;
    else collateral = { kind: r.action, ...since };
  }
  return { collection, collateral };
}

/** The loan as a status change needs it. */
export interface StatusLoan {
  product: string;
  status: string;
  startDate: CalendarDate;
  daysPastDue: number;
  oldestUnpaidDue: CalendarDate | null;
}

export interface StatusChange {
  action: StatusAction;
  effectiveDate: CalendarDate;
  agency?: string;
}

/** Loan statuses a placement or a recovery may start from: serviced (late or not), frozen, or charged off. */
const COLLECTIBLE = ['active', 'delinquent', 'frozen', 'charged_off'];
const RECOVERABLE = ['active', 'delinquent', 'charged_off'];
/** Products with collateral to take back (a lease's vehicle, an installment loan's purchase). */
const SECURED = ['installment_loan', 'lease'];
/** A reinstatement brings the loan back to ordinary servicing: not one written off. */
const REINSTATABLE = ['active', 'delinquent'];

const invalidState = (change: StatusChange, loan: StatusLoan, why: string) =>
  err(
    failure('conflict', 'invalid_state_transition', `cannot record a ${change.action}: ${why}`, {
      extra: { action: change.action, loan_status: loan.status, product: loan.product },
    }),
  );

/**
 * Whether the change may be recorded on the loan as its records stand, on business date `today`: 409 naming the
 * state that forbids it, 422 naming the field for a date out of bounds. On success, the record's frozen date of
 * first delinquency.
 */
export function checkStatusChange(
  loan: StatusLoan,
  records: readonly StatusRecord[],
  change: StatusChange,
  today: CalendarDate,
): Result<{ firstDelinquency: CalendarDate | null }> {
  const d = change.effectiveDate;
  if (d > today) return err(invalidField('effective_date', `after the business date ${today}`));
  if (d < loan.startDate)
    return err(invalidField('effective_date', `before the loan started (${loan.startDate})`));
  const now = statusAsOf(records, today);
  const collection = change.action === 'collection_placement' || change.action === 'collection_recall';
  const last = records
    .filter((r) => (r.action === 'collection_placement' || r.action === 'collection_recall') === collection)
    .reduce<CalendarDate | null>((m, r) => (m === null || r.effectiveDate > m ? r.effectiveDate : m), null);
  switch (change.action) {
    case 'collection_placement':
      if (now.collection)
        return invalidState(change, loan, `the loan is placed in collection since ${now.collection.since}`);
      if (!COLLECTIBLE.includes(loan.status)) return invalidState(change, loan, `the loan is ${loan.status}`);
      break;
    case 'collection_recall':
      if (!now.collection) return invalidState(change, loan, 'the loan is not placed in collection');
      break;
    case 'repossession':
    case 'surrender':
      if (!SECURED.includes(loan.product))
        return invalidState(change, loan, `a ${loan.product} has no collateral`);
      if (now.collateral)
        return invalidState(
          change,
          loan,
          `the collateral was recovered (${now.collateral.kind}) on ${now.collateral.since}`,
        );
      if (!RECOVERABLE.includes(loan.status)) return invalidState(change, loan, `the loan is ${loan.status}`);
      break;
    case 'reinstatement':
      if (!now.collateral) return invalidState(change, loan, 'no collateral was recovered');
      if (!REINSTATABLE.includes(loan.status))
        return invalidState(change, loan, `the loan is ${loan.status}`);
      break;
  }
  // The history stays in date order, so its fold on any date is what was known then.
  if (last !== null && d < last)
    return err(
      invalidField(
        'effective_date',
        `before the previous ${collection ? 'collection' : 'collateral'} record (${last})`,
      ),
    );
  const starts = change.action !== 'collection_recall' && change.action !== 'reinstatement';
  return ok({ firstDelinquency: starts ? firstDelinquencyOn(loan, d) : null });
}

/** The date of first delinquency as of `date`: 30 days after the oldest unpaid due date, else `date` itself. */
export function firstDelinquencyOn(loan: StatusLoan, date: CalendarDate): CalendarDate {
  const late = loan.oldestUnpaidDue && addDays(loan.oldestUnpaidDue, 30);
  return late && late <= date ? late : date;
}
