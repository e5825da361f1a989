import { z } from 'zod';
import { addDays, type CalendarDate, isTimeZone, wallClock } from '../../../../kernel/dates.js';
import { type RuleDefinition, resultsFor } from '../rule.js';

const CITATION = '12 CFR 1006.14(b)(2) (Regulation F, call frequency presumption)';

export const regFCallFrequencyConfig = z.strictObject({
  max_attempts: z.number().int().min(1).max(100).default(7),
  window_days: z.number().int().min(1).max(365).default(7),
  /** After a telephone conversation, no call for this many days, the conversation's day being the first. */
  quiet_days_after_conversation: z.number().int().min(0).max(365).default(7),
  /** The zone whose calendar days are counted; default the borrower's (first) zone, else UTC. */
  time_zone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone' }).optional(),
});
export type RegFCallFrequencyConfig = z.output<typeof regFCallFrequencyConfig>;

export const regFCallFrequency: RuleDefinition<RegFCallFrequencyConfig> = {
  key: 'reg_f_call_frequency',
  displayName: 'Regulation F call frequency',
  citation: CITATION,
  description:
    'At most 7 call attempts in 7 consecutive days per debt, and none within 7 days after a telephone conversation.',
  hooks: ['message_send'],
  configSchema: regFCallFrequencyConfig,
  evaluate(ctx, config) {
    const r = resultsFor(CITATION);
    if (ctx.hook !== 'message_send') return r.pass(['not applicable: no message at this hook']);
    const { message, borrower } = ctx;
    if (message.channel !== 'call' || message.purpose !== 'collection')
      return r.pass(['not applicable: not a collection call']);
    if (!message.debtId) return r.block(['a collection call must name the debt it is about']);
    const zone = config.time_zone ?? borrower.timeZones.find(isTimeZone) ?? 'UTC';
    const today = wallClock(message.sendAt, zone).date;
    const windowStart = addDays(today, -(config.window_days - 1));
    const quietStart = addDays(today, -(config.quiet_days_after_conversation - 1));

    let attempts = 0;
    let lastConversation: CalendarDate | undefined;
    for (const call of message.callHistory) {
      if (call.debtId !== message.debtId || call.at > message.sendAt) continue;
      const day = wallClock(call.at, zone).date;
      if (!call.excluded && day >= windowStart) attempts++;
      if (call.conversation && day >= quietStart && (!lastConversation || day > lastConversation))
        lastConversation = day;
    }
    const facts = {
      debt_id: message.debtId,
      attempts_in_window: attempts,
      window_start: windowStart,
      time_zone: zone,
    };
    const reasons: string[] = [];
    if (attempts >= config.max_attempts) {
      reasons.push(
        `${attempts} call attempts about this debt since ${windowStart}: this call would exceed ` +
          `${config.max_attempts} in ${config.window_days} consecutive days`,
      );
    }
    if (lastConversation) {
      reasons.push(
        `a telephone conversation about this debt on ${lastConversation}: no call until ` +
          addDays(lastConversation, config.quiet_days_after_conversation),
      );
    }
    if (reasons.length > 0) return r.block(reasons, facts);
    return r.pass(
      [`call ${attempts + 1} of at most ${config.max_attempts} in ${config.window_days} days`],
      facts,
    );
  },
};
