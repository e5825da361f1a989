import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { ActiveDutyPeriod, LoanFacts } from '../context.js';
import { type RuleDefinition, type RuleResult, resultsFor } from '../rule.js';
import { hasLoan, type LoanContext, pct, percentConfig } from './common.js';

const CITATION = '50 U.S.C. 3937 (Servicemembers Civil Relief Act, maximum rate of interest)';

export const scraConfig = z.strictObject({
  max_rate_percent: percentConfig.default('6'),
  /**
   * Apply the cap only once the servicemember's written notice arrived (3937(b)(1)), at most 180 days after
   * service ended. Off by default: the lender applies it from the military facts it holds (a DMDC check).
   */
  require_notice: z.boolean().default(false),
  /** Obligations secured by a mortgage keep the cap for a year after service (3937(a)(1)(A)). */
  mortgage_extension_days: z.number().int().min(0).max(3650).default(365),
  /** Days after service within which a notice still claims the cap (3937(b)(1)). */
  notice_window_days: z.number().int().min(0).max(3650).default(180),
});
export type ScraConfig = z.output<typeof scraConfig>;

interface Protection {
  start: CalendarDate;
  /** Last protected day; undefined while service lasts. */
  through?: CalendarDate;
}

/** The service period that protects this obligation: the first one that began after the loan was made. */
function protectionOf(loan: LoanFacts, periods: readonly ActiveDutyPeriod[], config: ScraConfig) {
  const period = [...periods]
    .filter((p) => p.start > loan.consummationDate)
    .sort((a, b) => a.start.localeCompare(b.start))[0];
  if (!period) return undefined;
  const extension = loan.securedByRealProperty ? config.mortgage_extension_days : 0;
  return { start: period.start, through: period.end && addDays(period.end, extension), end: period.end };
}

const within = (d: CalendarDate, p: Protection) =>
  d >= p.start && (p.through === undefined || d <= p.through);

/** The date the operation at the hook takes effect. */
function eventDate(ctx: LoanContext): CalendarDate {
  switch (ctx.hook) {
    case 'fee_assessment':
      return ctx.fee.date;
    case 'rate_change':
      return ctx.rateChange.effectiveDate;
    case 'payment_collection':
      return ctx.payment.date;
    case 'disbursement':
      return ctx.disbursementDate;
    default:
      return ctx.asOf;
  }
}

export const scra: RuleDefinition<ScraConfig> = {
  key: 'scra',
  displayName: 'Servicemembers Civil Relief Act',
  citation: CITATION,
  description:
    'Obligations incurred before military service bear at most 6% a year, fees included, from the start of service; the excess is forgiven.',
  hooks: ['disbursement', 'fee_assessment', 'rate_change', 'payment_collection'],
  configSchema: scraConfig,
  evaluate(ctx, config, _deps): RuleResult {
    const r = resultsFor(CITATION);
    if (!hasLoan(ctx)) return r.pass(['not applicable: no loan at this hook']);
    const { loan } = ctx;
    const military = ctx.borrower?.military;
    const protection = military && protectionOf(loan, military.activeDuty, config);
    if (!protection) return r.pass(['no military service began after this obligation was incurred']);

    const notice = military.scraNoticeReceived;
    const noticeOk =
      notice !== undefined &&
      (protection.end === undefined || notice <= addDays(protection.end, config.notice_window_days));
    if (config.require_notice && !noticeOk)
      return r.pass([`service began ${protection.start}; no timely notice from the servicemember yet`]);

    const cap = config.max_rate_percent;
    const date = eventDate(ctx);
    const capped = loan.scraCapAppliedFrom !== undefined && loan.scraCapAppliedFrom <= protection.start;
    const facts = { protected_from: protection.start, protected_through: protection.through ?? null };
    const remedy = {
      kind: 'rate_reduction' as const,
      effectiveDate: protection.start,
      maxAnnualRatePercent: cap,
      ...(protection.through ? { throughDate: protection.through } : {}),
    };

    if (ctx.hook === 'rate_change' && within(date, protection)) {
      const rate = ctx.rateChange.newAnnualRatePercent;
      if (new Decimal(rate).gt(cap))
        return r.block([`the new rate ${pct(rate)} exceeds the ${pct(cap)} SCRA cap in service`], facts);
    }
    if (ctx.hook === 'fee_assessment' && within(date, protection)) {
      const balance = loan.outstandingPrincipal ?? loan.principal;
      const days = ctx.fee.periodDays ?? 30;
      // A fee in service is interest (3937(d)(1)): annualized over its billing period on the balance.
      const effective = new Decimal(loan.annualRatePercent).plus(
        new Decimal(ctx.fee.amount).div(Math.max(balance, 1)).times(365).div(days).times(100),
      );
      if (effective.gt(cap)) {
        return r.block(
          [
            `a ${ctx.fee.kind} fee in service brings the rate to ${pct(effective)}, above the ${pct(cap)} cap`,
          ],
          { ...facts, effective_rate_percent: effective.toFixed(12) },
        );
      }
    }
    if (!capped && new Decimal(loan.annualRatePercent).gt(cap) && (within(date, protection) || noticeOk)) {
      return {
        ...r.warn(
          [
            `the rate ${pct(loan.annualRatePercent)} exceeds the ${pct(cap)} cap from ${protection.start}: ` +
              're-compute the loan from that date and forgive the excess',
          ],
          facts,
        ),
        remedy,
      };
    }
    return r.pass([`within the SCRA cap (service from ${protection.start})`], facts);
  },
};
