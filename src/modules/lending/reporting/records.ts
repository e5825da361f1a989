import type { CalendarDate } from '../../../kernel/dates.js';
import type { Minor } from '../../../kernel/money.js';

/** The rows lending's report port (source.ts) yields to the reporting module. */

/** A loan as the reports see it, on the tenant's business date (the projection close of business keeps). */
export interface LoanTapeRecord {
  id: string;
  programId: string;
  product: string;
  customerId: string | null;
  externalRef: string | null;
  status: string;
  currency: string;
  amount: Minor;
  startDate: CalendarDate;
  maturityDate: CalendarDate | null;
  /** The annual rate in force on the business date as a fraction: num / den (rate-in-force.ts). */
  rateNum: string;
  rateDen: string;
  dayCount: string | null;
  daysPastDue: number;
  bucket: string;
  /** Journal balances (debits positive) of the receivable accounts. */
  principal: Minor;
  interest: Minor;
  fees: Minor;
  penalties: Minor;
  /** Installments due before the business date and not paid or waived: principal, interest, fees, penalties. */
  pastDue: Minor;
  /** Scheduled receipts (due, not yet paid or waived) still to come: due on or after the business date. */
  scheduledRemaining: Minor;
}

/** What the loan tape derives per loan, computed by the query (book.ts `loanTapeSql`). */
export interface TapeFigures {
  /** A day's interest on the principal at the rate in force, by the day count, half-even. */
  perDiem: Minor;
  /** The annual rate in percent, to 6 places ("11.5"). */
  ratePercent: string;
}

export interface LoanFilter {
  programId?: string;
}

/** One account's debits and credits in the journal through a date. */
export interface TrialBalanceLine {
  account: string;
  debits: Minor;
  credits: Minor;
}

/** A payment's cash and where the waterfall put it, from the journal's `payment` postings debiting cash. */
export interface PaymentRecord {
  loanId: string;
  programId: string;
  eventId: string | null;
  date: CalendarDate;
  currency: string;
  amount: Minor;
  principal: Minor;
  interest: Minor;
  fees: Minor;
  penalties: Minor;
  overpayment: Minor;
}

export interface PostingTotal {
  date: CalendarDate;
  programId: string;
  currency: string;
  kind: string;
  debitAccount: string;
  creditAccount: string;
  loans: number;
  amount: Minor;
}

export interface ScheduledReceipt {
  date: CalendarDate;
  installments: number;
  principal: Minor;
  interest: Minor;
  fees: Minor;
  amount: Minor;
}

export interface DisbursementRecord {
  loanId: string;
  programId: string;
  eventId: string | null;
  date: CalendarDate;
  currency: string;
  amount: Minor;
}
