import type { CalendarDate } from '../../../kernel/dates.js';
import type { Minor } from '../../../kernel/money.js';
import type { CashFlowSummary } from '../../aggregation/index.js';
import type { AprComputation } from './lending-port.js';

/**
 * The facts a rule sees. Each hook point carries exactly the facts the operation at that point has, so a rule
 * cannot read a fact its hook does not supply (`HookContexts`). The module's wiring builds these from lending,
 * payments, communications and aggregation; nothing here does I/O.
 */

export const HOOK_POINTS = [
  'quote',
  'approval',
  'disbursement',
  'fee_assessment',
  'rate_change',
  'payment_collection',
  'message_send',
  'customer_onboarding',
] as const;
export type HookPoint = (typeof HOOK_POINTS)[number];

/** A period of active duty (SCRA "military service"); `end` absent while it lasts. */
export interface ActiveDutyPeriod {
  start: CalendarDate;
  end?: CalendarDate;
}

export interface MilitaryFacts {
  /**
   * 32 CFR 232.3(g): a covered borrower at consummation (active-duty member or dependent), as the creditor
   * established it (DoD MLA database certificate, 232.5). `unknown` when no check was made.
   */
  mlaCovered: boolean | 'unknown';
  /** Periods of military service, for the SCRA (50 U.S.C. 3937). */
  activeDuty: readonly ActiveDutyPeriod[];
  /** The date the servicemember's written notice and orders reached the creditor (3937(b)(1)). */
  scraNoticeReceived?: CalendarDate;
}

export interface PersonName {
  /** The full legal name as the customer gave it ("Jane Q. Borrower"). */
  full: string;
}

export interface BorrowerFacts {
  customerId?: string;
  name: PersonName;
  dateOfBirth?: CalendarDate;
  /** Two-letter US state (or territory) of residence: the state whose usury and late-fee law applies. */
  state?: string;
  /**
   * IANA time zones of the places the borrower may be (the address; a telephone area code elsewhere). Reg F
   * requires a convenient time in every one of them (1006.6(b)(1)(i)).
   */
  timeZones: readonly string[];
  military?: MilitaryFacts;
}

export type ChargeKind =
  | 'origination'
  | 'application'
  | 'participation'
  | 'credit_insurance'
  | 'debt_cancellation'
  | 'ancillary_product'
  | 'documentation'
  | 'other';

/** A charge paid at or before consummation, or financed (withheld from the proceeds or added to principal). */
export interface UpfrontCharge {
  kind: ChargeKind;
  amount: Minor;
  /** A finance charge under 12 CFR 1026.4 (a prepaid finance charge, deducted from the amount financed). */
  financeCharge: boolean;
}

export interface ScheduledPayment {
  amount: Minor;
  date: CalendarDate;
}

export type CreditType = 'closed_end' | 'open_end';

export interface TilaDisclosure {
  /** The disclosed APR, percent, as printed ("9.69"). */
  apr: string;
  financeCharge: Minor;
  amountFinanced?: Minor;
  /**
   * Who computed it: `lender` when the lender's own system did, by the same Appendix J arithmetic as `regZ` (so
   * the check can only catch rounding); `originator` when it came with the loan (a broker's, a loan origination
   * system's), computed elsewhere.
   */
  source?: 'lender' | 'originator';
}

export interface RescissionFacts {
  /** Consummation (1026.23(a)(3)). */
  consummationDate: CalendarDate;
  /** Delivery of the notice of the right to rescind (1026.23(b)); absent: not delivered. */
  noticeDelivered?: CalendarDate;
  /** Delivery of all material disclosures (1026.23(a)(3), fn. 48); absent: not delivered. */
  materialDisclosuresDelivered?: CalendarDate;
  /** The consumer rescinded (1026.23(a)(2)). */
  rescinded?: boolean;
}

/** A closed-end loan's Truth in Lending figures (1026.18(b), (d), (e), (h)). */
export interface RegZFigures {
  /** Principal − prepaid finance charges. */
  amountFinanced: Minor;
  /** Total of payments − amount financed. */
  financeCharge: Minor;
  totalOfPayments: Minor;
  apr: AprComputation;
}

export interface LoanFacts {
  loanId?: string;
  product: 'installment_loan' | 'lease' | 'line_of_credit';
  creditType: CreditType;
  currency: string;
  /** Face amount (closed-end) or credit limit (open-end), minor units. */
  principal: Minor;
  /** The contract (note) rate, percent ("11.99"). */
  annualRatePercent: string;
  /** Consummation (closed-end) or account opening (open-end). */
  consummationDate: CalendarDate;
  /** The state licence the lender makes this loan under ("consumer_lender", "bank"...), for rate caps. */
  licenseType?: string;
  upfrontCharges: readonly UpfrontCharge[];
  /** The payment schedule (closed-end): what Appendix J discounts. */
  schedule: readonly ScheduledPayment[];
  disclosure?: TilaDisclosure;
  /** Secured by real property or a dwelling: 1026.18(d)(1) and 1026.22(a)(4)-(5) tolerances. */
  securedByRealProperty: boolean;
  /** Secured by the consumer's principal dwelling: the right of rescission (1026.23(a)(1)). */
  securedByPrincipalDwelling: boolean;
  /** A residential mortgage transaction (purchase money) or otherwise exempt under 1026.23(f). */
  rescissionExempt: boolean;
  rescission?: RescissionFacts;
  hasPrepaymentPenalty: boolean;
  /** The contract requires the borrower to submit to arbitration (10 U.S.C. 987(e)(3)). */
  hasMandatoryArbitration: boolean;
  /** Principal outstanding today (servicing hooks). */
  outstandingPrincipal?: Minor;
  /**
   * The figures lending already computed for this loan (its quote or disclosure, by the same Appendix J code),
   * if any. The rules use them instead of solving again: one solve of a 36-payment schedule costs lending
   * tens of milliseconds today.
   */
  regZ?: RegZFigures;
  /** The date from which lending already re-computed the loan at the SCRA cap, if it did. */
  scraCapAppliedFrom?: CalendarDate;
}

export interface FeeFacts {
  kind: 'late' | 'returned_payment' | 'over_limit' | 'other';
  amount: Minor;
  date: CalendarDate;
  /** The installment (closed-end) or minimum payment (open-end) the fee is about. */
  paymentDue: Minor;
  daysLate?: number;
  /** Open-end: a violation of the same type in this billing cycle or one of the six before (1026.52(b)(1)(ii)(B)). */
  repeatWithinSixCycles?: boolean;
  /** Days of the billing period the fee belongs to (SCRA: a fee is interest over that period); default 30. */
  periodDays?: number;
}

export interface RateChangeFacts {
  newAnnualRatePercent: string;
  effectiveDate: CalendarDate;
}

export interface PaymentFacts {
  amount: Minor;
  date: CalendarDate;
  /** The name on the paying account, screened when it is not the borrower's. */
  payerName?: string;
}

export type MessageChannel = 'call' | 'sms' | 'email' | 'letter' | 'push';

export interface CallRecord {
  /** When the call was placed (an instant). */
  at: Date;
  /** The debt (loan) the call was about. */
  debtId: string;
  /** A telephone conversation took place (1006.14(b)(2)(i)(B)), not only an attempt. */
  conversation: boolean;
  /** Excluded from the count by 1006.14(b)(3) (prior consent, not connected to the dialed number). */
  excluded?: boolean;
}

export interface MessageFacts {
  channel: MessageChannel;
  purpose: 'collection' | 'servicing' | 'marketing';
  /** When the message is to be sent (an instant). */
  sendAt: Date;
  /** The debt it is about; required for collection messages. */
  debtId?: string;
  /** The consumer agreed to be contacted at this time (1006.6(b)(1)). */
  consumerConsentedToTime?: boolean;
  /** Calls placed to this person, any debt; the rule filters by `debtId`. */
  callHistory: readonly CallRecord[];
}

/** The parts of the aggregation module's cash-flow summary the ability-to-repay rule reads. */
export type CashFlowFacts = Pick<CashFlowSummary, 'period' | 'income' | 'recurringDebits'>;

export interface UnderwritingFacts {
  statedMonthlyIncome?: Minor;
  statedMonthlyDebtPayments?: Minor;
  /** Rent or mortgage, insurance, utilities: what residual income is left after. */
  statedMonthlyEssentialExpenses?: Minor;
  cashFlow?: CashFlowFacts;
}

interface Common {
  /** The tenant's business date. */
  asOf: CalendarDate;
  /** The instant of the evaluation. */
  now: Date;
}

export interface HookContexts {
  quote: { borrower?: BorrowerFacts; loan: LoanFacts };
  approval: { borrower: BorrowerFacts; loan: LoanFacts; underwriting?: UnderwritingFacts };
  disbursement: { borrower: BorrowerFacts; loan: LoanFacts; disbursementDate: CalendarDate };
  fee_assessment: { borrower: BorrowerFacts; loan: LoanFacts; fee: FeeFacts };
  rate_change: { borrower: BorrowerFacts; loan: LoanFacts; rateChange: RateChangeFacts };
  payment_collection: { borrower: BorrowerFacts; loan: LoanFacts; payment: PaymentFacts };
  message_send: { borrower: BorrowerFacts; message: MessageFacts };
  customer_onboarding: { borrower: BorrowerFacts };
}

export type ContextAt<H extends HookPoint> = Common & { hook: H } & HookContexts[H];

/** The context of one evaluation: a discriminated union on `hook`. */
export type ComplianceContext = { [H in HookPoint]: ContextAt<H> }[HookPoint];
