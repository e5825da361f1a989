import type { CalendarDate } from '../../../kernel/dates.js';
import type { Minor, RoundingMode } from '../../../kernel/money.js';
import type { FeeFacts, LoanFacts, RegZFigures, UpfrontCharge } from '../../compliance/index.js';
import type { LateFeeTerms } from '../domain/common-terms.js';
import { lateFeeAmount } from '../domain/common-terms.js';
import { comparePercent } from '../domain/exact.js';
import {
  disbursementCharges,
  disclosureFlows,
  loanTermsOf,
  snapshotSchedule,
  toCharges,
} from '../domain/installment/index.js';
import type { InstallmentRow, StoredEvent } from '../product.js';
import type { OriginatorDisclosure } from './originator-disclosure.js';

/**
 * The facts the compliance rules see of a loan or a quote, from lending's own records: the terms as wire JSON
 * (every product's `termsJson`: `annual_interest_rate`, `currency`, `disbursement_date` or `open_date`, the amount),
 * the payment schedule, and the Truth in Lending figures lending already computed for the disclosure (`regZ`), so
 * the rules never solve Appendix J again (a 36-payment solve costs lending tens of milliseconds).
 *
 * Not modelled by lending yet, so stated as absent: real-property or dwelling security, a mandatory arbitration
 * clause, the lender's licence type.
 */
export interface LoanFactsInput {
  loanId?: string;
  product: string;
  /** The terms as wire JSON (the product's termsJson, or a quote's `terms`). */
  terms: Record<string, unknown>;
  schedule: readonly { amount: Minor; date: CalendarDate }[];
  /** Fees paid from the proceeds at consummation (an installment loan's disbursement charges). */
  upfrontCharges?: readonly UpfrontCharge[];
  /** The disclosure as wire JSON (a loan's or a quote's). */
  disclosure: Record<string, unknown> | null;
  /** What an originator disclosed to the borrower, if the loan came with it: the disclosure the rules check. */
  originatorDisclosure?: OriginatorDisclosure | null;
  /** The rate in force when rate changes moved it from the terms'. */
  currentRatePercent?: string;
  outstandingPrincipal?: Minor;
  scraCapAppliedFrom?: CalendarDate;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The terms' rate, or the highest a loan's scheduled rate changes reach (installment loans' `rate_changes`): a rate
 * cap applies to every rate the loan will charge.
 */
function highestRate(t: Record<string, unknown>): string | undefined {
  let rate = str(t.annual_interest_rate);
  const changes = Array.isArray(t.rate_changes)
    ? (t.rate_changes as { annual_interest_rate?: unknown }[])
    : [];
  for (const c of changes) {
    const r = str(c.annual_interest_rate);
    if (r !== undefined && (rate === undefined || comparePercent(r, rate) > 0)) rate = r;
  }
  return rate;
}

export function loanFacts(x: LoanFactsInput): LoanFacts {
  const t = x.terms;
  const openEnd = x.product === 'line_of_credit';
  const d = x.disclosure;
  const regZ = !openEnd && d ? regZOf(d) : undefined;
  return {
    ...(x.loanId && { loanId: x.loanId }),
    product: x.product as LoanFacts['product'],
    creditType: openEnd ? 'open_end' : 'closed_end',
    currency: str(t.currency) ?? 'USD',
    principal: num(t.amount_financed) ?? num(t.credit_limit) ?? num(t.adjusted_capitalized_cost) ?? 0,
    annualRatePercent: x.currentRatePercent ?? highestRate(t) ?? '0',
    consummationDate: (str(t.disbursement_date) ?? str(t.open_date)) as CalendarDate,
    upfrontCharges: openEnd ? [] : (x.upfrontCharges ?? []),
    schedule: openEnd ? [] : x.schedule,
    ...(regZ && { regZ }),
    ...disclosureOf(x.originatorDisclosure, regZ),
    securedByRealProperty: false,
    securedByPrincipalDwelling: false,
    rescissionExempt: false,
    hasPrepaymentPenalty: t.prepayment_penalty !== undefined && t.prepayment_penalty !== null,
    hasMandatoryArbitration: false,
    ...(x.outstandingPrincipal !== undefined && { outstandingPrincipal: x.outstandingPrincipal }),
    ...(x.scraCapAppliedFrom && { scraCapAppliedFrom: x.scraCapAppliedFrom }),
  };
}

/**
 * The disclosure the borrower was given: the originator's figures when the loan came with them (checked against
 * lending's `regZ`), else lending's own (the same figures, rounded as printed).
 */
function disclosureOf(
  originator: OriginatorDisclosure | null | undefined,
  regZ: RegZFigures | undefined,
): Pick<LoanFacts, 'disclosure'> {
  if (originator) {
    return {
      disclosure: {
        apr: originator.apr,
        financeCharge: originator.finance_charge,
        ...(originator.amount_financed !== undefined && { amountFinanced: originator.amount_financed }),
        source: 'originator',
      },
    };
  }
  if (!regZ) return {};
  return {
    disclosure: {
      apr: regZ.apr.apr,
      financeCharge: regZ.financeCharge,
      amountFinanced: regZ.amountFinanced,
      source: 'lender',
    },
  };
}

/** A closed-end disclosure's Truth in Lending figures, as lending computed them (the installment loan's). */
function regZOf(d: Record<string, unknown>): RegZFigures | undefined {
  const apr = str(d.apr);
  const financeCharge = num(d.finance_charge);
  const amountFinanced = num(d.amount_financed);
  const totalOfPayments = num(d.total_of_payments);
  const kind = d.transaction_kind === 'irregular' ? 'irregular' : 'regular';
  if (!apr || financeCharge === undefined || amountFinanced === undefined || totalOfPayments === undefined)
    return undefined;
  return {
    amountFinanced,
    financeCharge,
    totalOfPayments,
    apr: {
      apr,
      // Disclosures written before the exact figure was kept: the disclosed one (2 decimals) is lending's own.
      aprExact: str(d.apr_exact) ?? apr,
      tolerance: str(d.tolerance) ?? (kind === 'regular' ? '0.125' : '0.25'),
      transactionKind: kind,
    },
  };
}

/**
 * The installment loan's payments as the Truth in Lending stream counts them (principal, interest and the fees
 * that are finance charges; charges.ts): its installment rows once it has them, else the schedule of its terms
 * snapshot (before disbursement there are no rows), the one the action's own replay then uses (snapshotSchedule).
 */
export function installmentSchedule(
  terms: unknown,
  rows: readonly InstallmentRow[] = [],
): { amount: Minor; date: CalendarDate }[] {
  const t = loanTermsOf(terms);
  const scheduled =
    rows.length > 0
      ? rows.map((r) => ({
          number: r.number,
          principal: r.due.principal,
          interest: r.due.interest,
          dueDate: r.dueDate,
        }))
      : snapshotSchedule(t).rows;
  return disclosureFlows(t, scheduled).payments;
}

/**
 * A quote's Truth in Lending stream and upfront charges, from its wire JSON by the same arithmetic (charges.ts):
 * the rows' principal and interest with the installment fees that are finance charges, the disbursement fees.
 */
export function quoteStream(quote: Record<string, unknown>): {
  schedule: { amount: Minor; date: CalendarDate }[];
  upfrontCharges: UpfrontCharge[];
} {
  const t = (quote.terms as Record<string, unknown>) ?? {};
  const rows = Array.isArray(quote.schedule)
    ? (quote.schedule as { number: number; principal: Minor; interest: Minor; due_date: CalendarDate }[])
    : [];
  const rounding = (t.rounding as { mode?: RoundingMode } | undefined)?.mode ?? 'half_even';
  const basis = {
    charges: toCharges(Array.isArray(t.charges) ? (t.charges as Parameters<typeof toCharges>[0]) : []),
    amountFinanced: typeof t.amount_financed === 'number' ? t.amount_financed : 0,
    rounding: { mode: rounding },
    disbursementDate: t.disbursement_date as CalendarDate,
  };
  const flows = disclosureFlows(
    basis,
    rows.map((r) => ({
      number: r.number,
      principal: r.principal,
      interest: r.interest,
      dueDate: r.due_date,
    })),
  );
  return { schedule: flows.payments, upfrontCharges: upfront(disbursementCharges(basis)) };
}

const upfront = (charges: readonly { amount: Minor; financeCharge: boolean }[]): UpfrontCharge[] =>
  charges.map((c) => ({
    // The program names its charges freely: a finance charge is the lender's origination charge; anything else
    // is a charge Reg Z (and MLA's default list) does not count.
    kind: c.financeCharge ? 'origination' : 'other',
    amount: c.amount,
    financeCharge: c.financeCharge,
  }));

/** The fees an installment loan's terms take from its proceeds: prepaid finance charges when they are ones. */
export function installmentUpfrontCharges(terms: unknown): UpfrontCharge[] {
  return upfront(disbursementCharges(loanTermsOf(terms)));
}

/** What rate changes did to a loan: the rate in force and the date the SCRA cap was applied from. */
export function rateChangesOf(events: readonly StoredEvent[]): {
  currentRatePercent?: string;
  scraCapAppliedFrom?: CalendarDate;
} {
  let current: StoredEvent | undefined;
  let scra: CalendarDate | undefined;
  for (const e of events) {
    if (e.type !== 'rate_change') continue;
    if (!current || e.effectiveDate > current.effectiveDate || e.effectiveDate === current.effectiveDate)
      current = e;
    if (e.payload.reason === 'scra' && (!scra || e.effectiveDate < scra)) scra = e.effectiveDate;
  }
  const rate = current && str(current.payload.annualInterestRate);
  return { ...(rate && { currentRatePercent: rate }), ...(scra && { scraCapAppliedFrom: scra }) };
}

/**
 * The late fee a closed-end loan's terms charge, as the fee_assessment facts of its origination: the flat amount,
 * or the percent of the largest installment (within its min and max); charged `grace_days` after the due date.
 */
export function originationLateFee(
  fee: LateFeeTerms,
  schedule: readonly { amount: Minor; date: CalendarDate }[],
  mode: RoundingMode,
  date: CalendarDate,
): FeeFacts {
  const installment = schedule.reduce((m, p) => Math.max(m, p.amount), 0);
  return {
    kind: 'late',
    amount: lateFeeAmount(fee, installment, mode),
    date,
    paymentDue: installment,
    daysLate: fee.graceDays,
  };
}
