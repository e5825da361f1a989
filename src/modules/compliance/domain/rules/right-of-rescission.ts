import { z } from 'zod';
import { addDays, maxDate } from '../../../../kernel/dates.js';
import { addRescissionBusinessDays } from '../calendar/business-days.js';
import { type RuleDefinition, resultsFor } from '../rule.js';

const CITATION = '12 CFR 1026.23(a)(3), 1026.23(c); business day per 1026.2(a)(6)';

export const rightOfRescissionConfig = z.strictObject({
  business_days: z.number().int().min(1).max(30).default(3),
  /** Whether the weekday a weekend holiday is observed on also stops the count (see calendar/business-days.ts). */
  holiday_observance: z.enum(['actual', 'actual_and_observed']).default('actual_and_observed'),
});
export type RightOfRescissionConfig = z.output<typeof rightOfRescissionConfig>;

export const rightOfRescission: RuleDefinition<RightOfRescissionConfig> = {
  key: 'right_of_rescission',
  displayName: 'Right of rescission',
  citation: CITATION,
  description:
    "No disbursement on credit secured by the borrower's principal dwelling until three business days after the last of consummation, the rescission notice and the material disclosures.",
  hooks: ['disbursement'],
  configSchema: rightOfRescissionConfig,
  evaluate(ctx, config) {
    const r = resultsFor(CITATION);
    if (ctx.hook !== 'disbursement') return r.pass(['not applicable: no disbursement at this hook']);
    const { loan } = ctx;
    if (!loan.securedByPrincipalDwelling)
      return r.pass(['not applicable: not secured by the principal dwelling']);
    if (loan.rescissionExempt) return r.pass(['exempt under 1026.23(f)']);
    const facts = loan.rescission;
    if (!facts) return r.block(['no consummation and notice dates are recorded for the rescission period']);
    if (facts.rescinded) return r.block(['the borrower rescinded the transaction (1026.23(d))']);
    const missing = [
      facts.noticeDelivered ? undefined : 'the notice of the right to rescind',
      facts.materialDisclosuresDelivered ? undefined : 'the material disclosures',
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) {
      return r.block([
        `${missing.join(' and ')} ${missing.length > 1 ? 'were' : 'was'} not delivered: the right to rescind runs ` +
          'until three years after consummation (1026.23(a)(3))',
      ]);
    }
    const start = [facts.noticeDelivered!, facts.materialDisclosuresDelivered!].reduce(
      maxDate,
      facts.consummationDate,
    );
    const lastDay = addRescissionBusinessDays(start, config.business_days, config.holiday_observance);
    const earliest = addDays(lastDay, 1);
    const result = { period_start: start, rescission_ends: lastDay, earliest_disbursement: earliest };
    if (ctx.disbursementDate < earliest) {
      return r.block(
        [`the rescission period runs through ${lastDay}: disburse on ${earliest} or later`],
        result,
      );
    }
    return r.pass([`the rescission period ended ${lastDay}`], result);
  },
};
