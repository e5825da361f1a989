import { z } from 'zod';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor, RoundingMode } from '../../../../kernel/money.js';
import { positiveMinorSchema } from '../../../../kernel/money.js';
import { percentSchema } from '../common-terms.js';
import { comparePercent, PERCENT_RE, percentRatio, roundRatio, toMinor } from '../exact.js';

/**
 * Charges in the schedule: fees a program's loans owe by their terms, as Fineract's loan charges attached to a
 * product. Each names when it falls due, Fineract's charge time type:
 *
 * - `disbursement` (DISBURSEMENT): due on the disbursement date and paid from the proceeds there (Fineract's
 *   "Repayment (at time of disbursement)"): the borrower receives the amount financed less the fee;
 * - `installment` (INSTALMENT_FEE): due with every installment;
 * - `specified_installment` (SPECIFIED_DUE_DATE): due with one installment, named by its number (a program has no
 *   dates; Fineract puts a specified-due-date charge on the installment whose period holds its date).
 *
 * and how it is computed, Fineract's charge calculation type: `flat` (FLAT), `percent_of_amount` (PERCENT_OF_AMOUNT:
 * of the amount financed for disbursement and specified-installment fees, of the installment's principal for an
 * installment fee), `percent_of_amount_and_interest` and `percent_of_interest` (installment fees only: of the
 * installment's principal and interest, of its interest). Percentages are rounded once with the program's rounding.
 *
 * Installment fees are part of each installment's `fees` and are collected by the payment waterfall like any fee;
 * they are recognised (fees receivable against fee income) when the loan is disbursed, the contract's fees, as
 * Fineract's upfront accrual does; a payoff waives the fees of installments whose period has not started.
 *
 * Truth in Lending (12 CFR 1026.4): a charge the creditor imposes as an incident to the extension of credit is a
 * finance charge (4(a), 4(b)(2) service charges, 4(b)(3) loan fees) unless an exclusion of 4(c)-(e) applies (an
 * application fee charged to all applicants, 4(c)(1); late fees, 4(c)(2); ...). `finance_charge` (default true)
 * records the program's determination. A finance charge paid from the proceeds at disbursement is a prepaid finance
 * charge: the amount financed is the loan less it (1026.18(b)(3)), the APR's advance (Appendix J (b)(1)); one due
 * with an installment is part of that payment. A charge that is not a finance charge is in neither (it is paid for
 * something other than the credit).
 */

export const CHARGE_DUE = ['disbursement', 'installment', 'specified_installment'] as const;
export const CHARGE_CALCULATIONS = [
  'flat',
  'percent_of_amount',
  'percent_of_amount_and_interest',
  'percent_of_interest',
] as const;

export interface ScheduledCharge {
  name: string;
  due: (typeof CHARGE_DUE)[number];
  /** The installment a `specified_installment` charge is due with. */
  installment: number | null;
  calculation: (typeof CHARGE_CALCULATIONS)[number];
  amount: Minor | null;
  percent: string | null;
  financeCharge: boolean;
}

const chargeSchema = z.strictObject({
  name: z.string().min(1).max(80),
  due: z.enum(CHARGE_DUE),
  installment: z.number().int().min(1).nullable().default(null),
  calculation: z.enum(CHARGE_CALCULATIONS).default('flat'),
  amount: positiveMinorSchema.nullable().default(null),
  percent: percentSchema.nullable().default(null),
  finance_charge: z.boolean().default(true),
});

/** The program-terms field (wire names), spread into the installment program's schema. */
export const chargesShape = { charges: z.array(chargeSchema).max(20).default([]) };

type WireCharge = z.output<typeof chargeSchema>;

/** Each charge's fields agree with its time and calculation; every problem names the charge's field. */
export function checkCharges(charges: readonly WireCharge[], maxTerm: number, ctx: z.RefinementCtx): void {
  charges.forEach((c, i) => {
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: ['charges', i, field], message });
    if (c.calculation === 'flat') {
      if (c.amount === null) issue('amount', 'a flat charge needs an amount');
      if (c.percent !== null) issue('percent', 'a flat charge has an amount, not a percent');
    } else {
      if (c.percent === null) issue('percent', `a ${c.calculation} charge needs a percent`);
      else if (PERCENT_RE.test(c.percent) && comparePercent(c.percent, '0') <= 0)
        issue('percent', 'must be more than 0');
      if (c.amount !== null) issue('amount', `a ${c.calculation} charge has a percent, not an amount`);
      if (c.due !== 'installment' && c.calculation !== 'percent_of_amount')
        issue('calculation', `${c.calculation} applies to installment charges`);
    }
    if (c.due === 'specified_installment') {
      if (c.installment === null)
        issue('installment', 'a specified_installment charge names its installment');
      else if (c.installment > maxTerm) issue('installment', `must be at most term_count.max (${maxTerm})`);
    } else if (c.installment !== null) issue('installment', 'applies to specified_installment charges');
  });
}

export const toCharges = (charges: readonly WireCharge[]): ScheduledCharge[] =>
  charges.map(({ finance_charge, ...c }) => ({ ...c, financeCharge: finance_charge }));

export const chargesJson = (charges: readonly ScheduledCharge[]): WireCharge[] =>
  charges.map(({ financeCharge, ...c }) => ({ ...c, finance_charge: financeCharge }));

/**
 * What a loan request must satisfy for the program's charges: the term reaches every specified installment, and the
 * fees paid from the proceeds leave something to disburse. Each problem names the request field it concerns.
 */
export function chargeIssues(
  terms: Basis & { termCount: number },
): { path: 'term_count' | 'principal'; message: string }[] {
  const issues: { path: 'term_count' | 'principal'; message: string }[] = [];
  for (const c of chargesOf(terms))
    if (c.due === 'specified_installment' && c.installment! > terms.termCount)
      issues.push({
        path: 'term_count',
        message: `must be at least ${c.installment}: the program's charge "${c.name}" is due with installment ${c.installment}`,
      });
  const atDisbursement = disbursementFees(terms).total;
  if (atDisbursement >= terms.amountFinanced)
    issues.push({
      path: 'principal',
      message: `the amount financed must be more than the fees paid from it at disbursement (${atDisbursement})`,
    });
  return issues;
}

/** What the charges are computed from. */
interface Basis {
  charges?: readonly ScheduledCharge[];
  amountFinanced: Minor;
  rounding: { mode: RoundingMode };
}

/** A loan's charges; a loan stored before charges existed has none. */
export const chargesOf = (terms: { charges?: readonly ScheduledCharge[] }): readonly ScheduledCharge[] =>
  terms.charges ?? [];

function amountOf(c: ScheduledCharge, base: Minor, mode: RoundingMode): Minor {
  if (c.calculation === 'flat') return c.amount!;
  const r = percentRatio(c.percent!);
  return toMinor(roundRatio(BigInt(base) * r.num, r.den, mode));
}

/** Each fee paid from the proceeds at disbursement, with the program's finance-charge determination. */
export function disbursementCharges(terms: Basis): { name: string; amount: Minor; financeCharge: boolean }[] {
  return chargesOf(terms)
    .filter((c) => c.due === 'disbursement')
    .map((c) => ({
      name: c.name,
      amount: amountOf(c, terms.amountFinanced, terms.rounding.mode),
      financeCharge: c.financeCharge,
    }));
}

/** Fees paid from the proceeds at disbursement: in all, and those that are finance charges. */
export function disbursementFees(terms: Basis): { total: Minor; financeCharge: Minor } {
  let total = 0;
  let financeCharge = 0;
  for (const c of chargesOf(terms)) {
    if (c.due !== 'disbursement') continue;
    const fee = amountOf(c, terms.amountFinanced, terms.rounding.mode);
    total += fee;
    if (c.financeCharge) financeCharge += fee;
  }
  return { total, financeCharge };
}

/** A scheduled row as the charges read it. */
interface Row {
  number: number;
  principal: Minor;
  interest: Minor;
}

/** The fees due with a row: in all, and those that are finance charges. */
export function installmentFees(
  terms: Basis,
  row: Row,
  isLast: boolean,
): { total: Minor; financeCharge: Minor } {
  let total = 0;
  let financeCharge = 0;
  for (const c of chargesOf(terms)) {
    let fee = 0;
    if (c.due === 'installment') {
      const base =
        c.calculation === 'percent_of_interest'
          ? row.interest
          : c.calculation === 'percent_of_amount_and_interest'
            ? row.principal + row.interest
            : row.principal;
      fee = amountOf(c, base, terms.rounding.mode);
    } else if (
      c.due === 'specified_installment' &&
      // A schedule that repays early (installment multiples) ends before the named installment: its last row.
      (c.installment === row.number || (isLast && c.installment! > row.number))
    )
      fee = amountOf(c, terms.amountFinanced, terms.rounding.mode);
    total += fee;
    if (c.financeCharge) financeCharge += fee;
  }
  return { total, financeCharge };
}

/**
 * What the Truth in Lending disclosure is computed from (1026.18): the loan, the prepaid finance charge paid from
 * its proceeds, and each installment's payment of principal, interest and the fees that are finance charges.
 */
export function disclosureFlows(
  terms: Basis & {
    disbursementDate: CalendarDate;
    tranches?: readonly { date: CalendarDate; amount: Minor }[];
  },
  rows: readonly (Row & { dueDate: CalendarDate })[],
): {
  consummationDate: CalendarDate;
  principal: Minor;
  laterAdvances: { amount: Minor; date: CalendarDate }[];
  prepaidFinanceCharge: Minor;
  payments: { amount: Minor; date: CalendarDate }[];
} {
  // A loan in tranches advances the planned tranches on their dates (tranches.ts): the amount financed is theirs.
  const tranches = terms.tranches ?? [];
  return {
    consummationDate: terms.disbursementDate,
    principal: tranches.length > 0 ? tranches.reduce((s, t) => s + t.amount, 0) : terms.amountFinanced,
    laterAdvances: tranches.slice(1).map((t) => ({ amount: t.amount, date: t.date })),
    prepaidFinanceCharge: disbursementFees(terms).financeCharge,
    payments: rows.map((r, k) => ({
      amount: r.principal + r.interest + installmentFees(terms, r, k === rows.length - 1).financeCharge,
      date: r.dueDate,
    })),
  };
}
