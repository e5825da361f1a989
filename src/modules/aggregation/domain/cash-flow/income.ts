import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { type Minor, roundMinor } from '../../../../kernel/money.js';
import { normalizePayee } from '../payees.js';
import { cadenceOf, intervals, median, PER_MONTH, ratio, variation } from './series.js';
import type { Cadence, CashFlowTransaction } from './types.js';

/**
 * Income: deposits grouped by payer into streams. A stream is `payroll` when the bank marks it a direct deposit or
 * its description names payroll, salary, benefits or a payroll processor; any other payer that deposits at least
 * three times on a recognizable cadence with steady amounts is a `recurring_deposit` (gig payouts, a pension).
 *
 * Regularity is judged on the largest stream: `regular` with at least three deposits on a cadence, their
 * intervals and amounts each varying by at most 25% (coefficient of variation); `irregular` otherwise;
 * `insufficient_data` with fewer than three deposits; `none` without any income stream.
 */

const PAYROLL =
  /PAYROLL|SALARY|\bWAGES?\b|PAYCHECK|DIR(ECT)? ?DEP|\bADP\b|GUSTO|PAYCHEX|INTUIT PAY|TREAS 310|\bSSA\b|SOC SEC|PENSION|ANNUITY|\bVA BENEFIT/i;
// Words that say how the money came, not who sent it: dropped from the payer's name.
const CHANNEL_WORDS = new Set([
  'PAYROLL',
  'DIR',
  'DIRECT',
  'DEP',
  'DEPOSIT',
  'PPD',
  'ID',
  'ACH',
  'CREDIT',
  'SALARY',
  'PAYMENT',
  'FROM',
  'CO',
  'ENTRY',
  'DESCR',
  'INDN',
  'TRN',
  'WEB',
  'CCD',
  'ORIG',
  'NAME',
]);
const MAX_VARIATION = 0.25;
const DAYS_PER_MONTH = '30.4375';

export type Regularity = 'regular' | 'irregular' | 'insufficient_data' | 'none';

export interface IncomeStream {
  payer: string;
  kind: 'payroll' | 'recurring_deposit';
  cadence: Cadence | null;
  deposits: number;
  total: Minor;
  typicalAmount: Minor;
  intervalVariation: string;
  amountVariation: string;
  firstDate: CalendarDate;
  lastDate: CalendarDate;
  /** Typical amount × occurrences per month; null without a cadence. */
  monthlyEquivalent: Minor | null;
}

export interface IncomeSummary {
  regularity: Regularity;
  streams: IncomeStream[];
  /** Income stream deposits over the period, per 30.4375 days (an average month). */
  monthlyAverage: Minor;
}

export function payerOf(description: string): string {
  const words = normalizePayee(description)
    .split(' ')
    .filter((w) => w.length > 1 && !CHANNEL_WORDS.has(w));
  return words.slice(0, 2).join(' ') || normalizePayee(description) || 'UNKNOWN';
}

const isPayroll = (t: CashFlowTransaction) => t.subtype === 'direct_deposit' || PAYROLL.test(t.description);

function stream(payer: string, list: CashFlowTransaction[], payroll: boolean): IncomeStream {
  const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
  const dates = sorted.map((t) => t.date);
  const amounts = sorted.map((t) => t.amount);
  const cadence = cadenceOf(dates);
  const typical = roundMinor(median(amounts));
  return {
    payer,
    kind: payroll ? 'payroll' : 'recurring_deposit',
    cadence,
    deposits: sorted.length,
    total: amounts.reduce((a, b) => a + b, 0),
    typicalAmount: typical,
    intervalVariation: ratio(variation(intervals(dates))),
    amountVariation: ratio(variation(amounts)),
    firstDate: dates[0]!,
    lastDate: dates.at(-1)!,
    monthlyEquivalent: cadence ? roundMinor(PER_MONTH[cadence].times(typical)) : null,
  };
}

const steady = (v: string) => Number(v) <= MAX_VARIATION;

export function incomeSummary(deposits: readonly CashFlowTransaction[], periodDays: number): IncomeSummary {
  const groups = new Map<string, CashFlowTransaction[]>();
  for (const t of deposits) {
    if (t.amount <= 0) continue;
    const key = payerOf(t.description);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const streams: IncomeStream[] = [];
  for (const [payer, list] of groups) {
    const payroll = list.some(isPayroll);
    const s = stream(payer, list, payroll);
    if (payroll || (s.deposits >= 3 && s.cadence && steady(s.intervalVariation) && steady(s.amountVariation)))
      streams.push(s);
  }
  streams.sort((a, b) => b.total - a.total || a.payer.localeCompare(b.payer));
  const main = streams[0];
  let regularity: Regularity = 'none';
  if (main)
    regularity =
      main.deposits < 3
        ? 'insufficient_data'
        : main.cadence && steady(main.intervalVariation) && steady(main.amountVariation)
          ? 'regular'
          : 'irregular';
  const total = streams.reduce((a, s) => a + s.total, 0);
  return {
    regularity,
    streams,
    monthlyAverage: periodDays > 0 ? roundMinor(new Decimal(total).times(DAYS_PER_MONTH).div(periodDays)) : 0,
  };
}
