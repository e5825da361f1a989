import { z } from 'zod';
import type { ScreenMatch } from '../ofac/sdn-index.js';
import { type RuleDefinition, resultsFor } from '../rule.js';
import { outcomeConfig } from './common.js';

const CITATION = '31 CFR Chapter V (OFAC sanctions regulations); SDN list';

const score = z.number().min(0).max(1);

export const ofacScreeningConfig = z
  .strictObject({
    /** A name scoring at least this against a listed name is a match: blocked. */
    match_threshold: score.default(0.97),
    /** At least this and below a match: a near match, reported with its score for review. */
    near_threshold: score.default(0.85),
    dob_match_bonus: score.default(0.03),
    dob_mismatch_factor: score.default(0.85),
    /** Outcome while no SDN list is loaded. Screening cannot be skipped silently, so block by default. */
    no_list: outcomeConfig.default('block'),
    /** Also screen the name on the paying account at payment collection. */
    screen_payer: z.boolean().default(true),
  })
  .refine((c) => c.near_threshold <= c.match_threshold, {
    message: 'near_threshold must not exceed match_threshold',
    path: ['near_threshold'],
  });
export type OfacScreeningConfig = z.output<typeof ofacScreeningConfig>;

const describe = (who: string, m: ScreenMatch) =>
  `${who} matches SDN entry ${m.entNum} "${m.matchedName}"` +
  `${m.matchedName === m.primaryName ? '' : ` (listed as "${m.primaryName}")`} [${m.programs.join(', ')}] ` +
  `with score ${m.score.toFixed(4)}${m.dob === 'not_compared' ? '' : `, date of birth ${m.dob}`}`;

export const ofacScreening: RuleDefinition<OfacScreeningConfig> = {
  key: 'ofac_screening',
  displayName: 'OFAC SDN screening',
  citation: CITATION,
  description:
    'Fuzzy name (and date of birth) screening against the loaded SDN list: a match blocks, a near match warns.',
  hooks: ['customer_onboarding', 'disbursement', 'payment_collection'],
  configSchema: ofacScreeningConfig,
  evaluate(ctx, config, deps) {
    const r = resultsFor(CITATION);
    if (!('borrower' in ctx) || !ctx.borrower) return r.pass(['not applicable: no borrower at this hook']);
    const sdn = deps.sdn;
    if (!sdn) return r.of(config.no_list, ['no SDN list is loaded: the name could not be screened']);

    const subjects: { who: string; name: string; dob?: typeof ctx.borrower.dateOfBirth }[] = [
      { who: 'the borrower', name: ctx.borrower.name.full, dob: ctx.borrower.dateOfBirth },
    ];
    if (ctx.hook === 'payment_collection' && config.screen_payer && ctx.payment.payerName)
      subjects.push({ who: 'the payer', name: ctx.payment.payerName });

    const found = subjects.flatMap((s) =>
      sdn
        .screen(s.name, {
          minScore: config.near_threshold,
          dateOfBirth: s.dob,
          dobMatchBonus: config.dob_match_bonus,
          dobMismatchFactor: config.dob_mismatch_factor,
          limit: 3,
        })
        .map((m) => ({ who: s.who, m })),
    );
    const best = found.reduce<(typeof found)[number] | undefined>(
      (a, b) => (a && a.m.score >= b.m.score ? a : b),
      undefined,
    );
    const facts = {
      screened: subjects.length,
      list_entries: sdn.entries.length,
      best_score: best?.m.score ?? null,
      best_ent_num: best?.m.entNum ?? null,
    };
    const matches = found.filter((f) => f.m.score >= config.match_threshold);
    if (matches.length > 0)
      return r.block(
        matches.map((f) => describe(f.who, f.m)),
        facts,
      );
    if (found.length > 0)
      return r.warn(
        found.map((f) => `near match: ${describe(f.who, f.m)}`),
        facts,
      );
    return r.pass([`no SDN entry scores ${config.near_threshold} or more`], facts);
  },
};
