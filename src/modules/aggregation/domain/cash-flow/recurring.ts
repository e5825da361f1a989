import { addDays, addMonths, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { type Minor, roundMinor } from '../../../../kernel/money.js';
import { normalizePayee } from '../payees.js';
import { cadenceOf, intervals, median, PER_MONTH, ratio, variation } from './series.js';
import type { Cadence, CashFlowTransaction } from './types.js';

/**
 * Recurring debits: the same payee at least three times on a weekly, biweekly, semimonthly or monthly cadence,
 * with at least three quarters of the amounts within 10% of the typical one (utilities vary, subscriptions do
 * not). `active` says whether the last one is recent enough for the next to be expected. Categories come from
 * the payee's name and matter to underwriting: debt payments and rent are obligations, subscriptions are not.
 */

export type DebitCategory = 'debt_payment' | 'rent' | 'insurance' | 'utility' | 'subscription' | 'other';

const CATEGORIES: [DebitCategory, RegExp][] = [
  [
    'debt_payment',
    /LOAN|LENDING|MORTGAGE|MTG|AUTO ?PAY|FINANCE|CREDIT CARD|CARD PAYMENT|CAPITAL ONE|SALLIE|NAVIENT|NELNET|AFFIRM|KLARNA|AFTERPAY|SYNCHRONY|DISCOVER|AMEX/,
  ],
  ['rent', /\bRENT\b|APARTMENT|APTS?\b|PROPERTY MGMT|LEASING/],
  ['insurance', /INSURANCE|INSUR|GEICO|PROGRESSIVE|STATE FARM|ALLSTATE/],
  [
    'utility',
    /ELECTRIC|POWER|ENERGY|\bGAS\b|WATER|UTILIT|COMCAST|XFINITY|VERIZON|AT&T|T-MOBILE|SPECTRUM|WIRELESS/,
  ],
  [
    'subscription',
    /NETFLIX|SPOTIFY|HULU|DISNEY|APPLE|GOOGLE|AMAZON PRIME|PRIME VIDEO|YOUTUBE|GYM|FITNESS|PATREON/,
  ],
];

export interface RecurringDebit {
  payee: string;
  category: DebitCategory;
  cadence: Cadence;
  occurrences: number;
  /** Positive: the usual size of the debit. */
  typicalAmount: Minor;
  monthlyEquivalent: Minor;
  amountVariation: string;
  lastDate: CalendarDate;
  nextExpectedDate: CalendarDate;
  active: boolean;
}

const PERIOD_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14, semimonthly: 15, monthly: 30 };

export function categoryOf(payee: string): DebitCategory {
  return CATEGORIES.find(([, re]) => re.test(payee))?.[0] ?? 'other';
}

export function recurringDebits(
  debits: readonly CashFlowTransaction[],
  asOf: CalendarDate,
): RecurringDebit[] {
  const groups = new Map<string, CashFlowTransaction[]>();
  for (const t of debits) {
    if (t.amount >= 0) continue;
    const payee = normalizePayee(t.description);
    if (!payee) continue;
    groups.set(payee, [...(groups.get(payee) ?? []), t]);
  }
  const out: RecurringDebit[] = [];
  for (const [payee, list] of groups) {
    if (list.length < 3) continue;
    const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
    const dates = sorted.map((t) => t.date);
    const cadence = cadenceOf(dates);
    if (!cadence) continue;
    const gaps = intervals(dates);
    const period = PERIOD_DAYS[cadence];
    // Most gaps must fit the cadence (a skipped month may double one).
    if (gaps.filter((g) => Math.abs(g - period) <= Math.max(3, period * 0.2)).length < gaps.length * 0.75)
      continue;
    const sizes = sorted.map((t) => -t.amount);
    const typical = median(sizes);
    if (sizes.filter((s) => Math.abs(s - typical) <= typical * 0.1).length < sizes.length * 0.75) continue;
    const typicalAmount = roundMinor(typical);
    const last = dates.at(-1)!;
    const next = cadence === 'monthly' ? addMonths(last, 1) : addDays(last, Math.round(median(gaps)));
    out.push({
      payee,
      category: categoryOf(payee),
      cadence,
      occurrences: sorted.length,
      typicalAmount,
      monthlyEquivalent: roundMinor(PER_MONTH[cadence].times(typicalAmount)),
      amountVariation: ratio(variation(sizes)),
      lastDate: last,
      nextExpectedDate: next,
      active: daysBetween(last, asOf) <= period * 1.5 + 3,
    });
  }
  return out.sort((a, b) => b.monthlyEquivalent - a.monthlyEquivalent || a.payee.localeCompare(b.payee));
}
