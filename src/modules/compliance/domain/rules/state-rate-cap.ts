import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Minor } from '../../../../kernel/money.js';
import { capRate } from '../figures.js';
import { type RuleDefinition, resultsFor } from '../rule.js';
import {
  borrowerOf,
  exceeds,
  hasLoan,
  nonNegativeMinorConfig,
  outcomeConfig,
  pct,
  percentConfig,
  stateCodeConfig,
} from './common.js';

const CITATION = 'State usury and consumer-loan rate limits (per state statute and licence)';

const capSchema = z
  .strictObject({
    state: stateCodeConfig,
    /** The licence the loan is made under; "*" for any. A licence-specific row wins over "*". */
    license_type: z.string().min(1).default('*'),
    max_rate_percent: percentConfig,
    /** What the cap limits: the APR (Appendix J / open-end periodic rate × periods) or the contract rate. */
    rate_basis: z.enum(['apr', 'note_rate']).default('apr'),
    /** Tiered caps by loan size: the row applies to principals in [min_principal, max_principal]. */
    min_principal: nonNegativeMinorConfig.optional(),
    max_principal: nonNegativeMinorConfig.optional(),
    /** The statute, printed with the result ("Cal. Fin. Code § 22304.5"). */
    citation: z.string().min(1).optional(),
  })
  .refine(
    (c) =>
      c.min_principal === undefined || c.max_principal === undefined || c.min_principal <= c.max_principal,
    {
      message: 'min_principal must not exceed max_principal',
      path: ['max_principal'],
    },
  );

export const stateRateCapConfig = z.strictObject({
  caps: z.array(capSchema).default([]),
  /** Outcome when no row covers the borrower's state, licence and amount (or the state is unknown). */
  unlisted_state: outcomeConfig.default('warn'),
});
export type StateRateCapConfig = z.output<typeof stateRateCapConfig>;
type Cap = StateRateCapConfig['caps'][number];

/** The row for a state, licence and amount: licence-specific before "*", the lowest cap among equals. */
export function findCap(caps: readonly Cap[], state: string, license: string | undefined, principal: Minor) {
  const fits = caps.filter(
    (c) =>
      c.state === state &&
      (c.min_principal === undefined || principal >= c.min_principal) &&
      (c.max_principal === undefined || principal <= c.max_principal),
  );
  const specific = fits.filter((c) => license !== undefined && c.license_type === license);
  const pool = specific.length > 0 ? specific : fits.filter((c) => c.license_type === '*');
  return pool.sort((a, b) => new Decimal(a.max_rate_percent).cmp(b.max_rate_percent))[0];
}

export const stateRateCap: RuleDefinition<StateRateCapConfig> = {
  key: 'state_rate_cap',
  displayName: 'State rate cap',
  citation: CITATION,
  description: 'The APR (or contract rate) within the cap of the borrower state and the lender licence.',
  hooks: ['quote', 'approval', 'disbursement', 'rate_change'],
  configSchema: stateRateCapConfig,
  evaluate(ctx, config, deps) {
    const r = resultsFor(CITATION);
    if (!hasLoan(ctx)) return r.pass(['not applicable: no loan at this hook']);
    const { loan } = ctx;
    const state = borrowerOf(ctx)?.state;
    if (!state)
      return r.of(config.unlisted_state, ['the borrower state is unknown: no cap could be applied']);
    const cap = findCap(config.caps, state, loan.licenseType, loan.principal);
    if (!cap) {
      return r.of(config.unlisted_state, [
        `no rate cap is configured for ${state} (licence ${loan.licenseType ?? 'unspecified'})`,
      ]);
    }
    const citation = cap.citation ?? `${state} rate cap`;
    let rate: string;
    let what: string;
    if (ctx.hook === 'rate_change') {
      rate = ctx.rateChange.newAnnualRatePercent;
      what = 'the new contract rate';
    } else if (cap.rate_basis === 'note_rate') {
      rate = loan.annualRatePercent;
      what = 'the contract rate';
    } else {
      const computed = capRate(loan, deps.apr);
      if (!computed.ok) return r.block([`the APR could not be computed: ${computed.error.message}`]);
      rate = computed.value;
      what = 'the APR';
    }
    const facts = {
      state,
      rate_percent: rate,
      cap_percent: cap.max_rate_percent,
      rate_basis: cap.rate_basis,
    };
    if (exceeds(rate, cap.max_rate_percent)) {
      return {
        ...r.block([`${what} ${pct(rate)} exceeds the ${state} cap of ${pct(cap.max_rate_percent)}`], facts),
        citation,
      };
    }
    return {
      ...r.pass([`${what} ${pct(rate)} is within the ${state} cap of ${pct(cap.max_rate_percent)}`], facts),
      citation,
    };
  },
};
