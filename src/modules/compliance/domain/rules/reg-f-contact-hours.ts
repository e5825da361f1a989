import { z } from 'zod';
import { isTimeZone, wallClock } from '../../../../kernel/dates.js';
import { type RuleDefinition, resultsFor } from '../rule.js';
import { outcomeConfig } from './common.js';

const CITATION = '12 CFR 1006.6(b)(1)(i) (Regulation F, inconvenient times)';

const clock = (secondOfDay: number) => {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
};

export const regFContactHoursConfig = z
  .strictObject({
    /** Earliest and latest convenient local time, in minutes after midnight: 8:00 a.m. and 9:00 p.m. */
    earliest_minute: z
      .number()
      .int()
      .min(0)
      .max(1439)
      .default(8 * 60),
    latest_minute: z
      .number()
      .int()
      .min(0)
      .max(1439)
      .default(21 * 60),
    /** Channels the rule checks: calls, texts and e-mails are communications when sent; letters are not timed. */
    channels: z
      .array(z.enum(['call', 'sms', 'email', 'letter', 'push']))
      .default(['call', 'sms', 'email', 'push']),
    /** Outcome when the borrower's time zone is not known (1006.6(b)(1)(i) needs the consumer's location). */
    unknown_time_zone: outcomeConfig.default('block'),
  })
  .refine((c) => c.earliest_minute < c.latest_minute, {
    message: 'earliest_minute must be before latest_minute',
    path: ['latest_minute'],
  });
export type RegFContactHoursConfig = z.output<typeof regFContactHoursConfig>;

export const regFContactHours: RuleDefinition<RegFContactHoursConfig> = {
  key: 'reg_f_contact_hours',
  displayName: 'Regulation F contact hours',
  citation: CITATION,
  description:
    "No collection communication before 8 a.m. or after 9 p.m. in any of the borrower's time zones, unless the borrower agreed.",
  hooks: ['message_send'],
  configSchema: regFContactHoursConfig,
  evaluate(ctx, config) {
    const r = resultsFor(CITATION);
    if (ctx.hook !== 'message_send') return r.pass(['not applicable: no message at this hook']);
    const { message, borrower } = ctx;
    if (message.purpose !== 'collection') return r.pass([`not applicable: a ${message.purpose} message`]);
    if (!config.channels.includes(message.channel))
      return r.pass([`not applicable: ${message.channel} is not timed`]);
    if (message.consumerConsentedToTime) return r.pass(['the borrower agreed to be contacted at this time']);
    const zones = borrower.timeZones.filter(isTimeZone);
    if (zones.length === 0)
      return r.of(config.unknown_time_zone, [
        "the borrower's time zone is unknown: the local time cannot be checked",
      ]);

    const earliest = config.earliest_minute * 60;
    const latest = config.latest_minute * 60;
    const outside: string[] = [];
    const facts: Record<string, string> = {};
    for (const zone of zones) {
      const local = wallClock(message.sendAt, zone);
      facts[`local_time.${zone}`] =
        `${local.date} ${clock(local.secondOfDay)}:${String(local.second).padStart(2, '0')}`;
      // 9:00 p.m. itself is convenient; any later second is "after 9 p.m.".
      if (local.secondOfDay < earliest || local.secondOfDay > latest) {
        outside.push(
          `${clock(local.secondOfDay)} in ${zone} is outside ${clock(earliest)}-${clock(latest)} local time`,
        );
      }
    }
    if (outside.length > 0) return r.block(outside, facts);
    return r.pass([`within ${clock(earliest)}-${clock(latest)} in ${zones.join(', ')}`], facts);
  },
};
