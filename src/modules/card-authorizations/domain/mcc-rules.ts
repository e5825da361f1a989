import { z } from 'zod';
import { isAlpha3 } from '../../../kernel/countries.js';
import type { ExpenseCategoryResolver, PendingTransaction } from './resolvers.js';

/**
 * The built-in `mcc_rules` expense-category resolver. A payment belongs to the category of every rule it
 * matches: its MCC is listed (a code or an inclusive range), and, when the rule restricts them, the merchant's
 * country (ISO 3166-1 alpha-3) and merchant id are among those listed.
 */
const MCC_RE = /^(\d{4})(?:-(\d{4}))?$/;

const mccEntry = z
  .string()
  .regex(MCC_RE, 'must be a four-digit MCC or a range such as 8011-8099')
  .refine(
    (v) => {
      const [, lo, hi] = MCC_RE.exec(v) ?? [];
      return hi === undefined || Number(lo) <= Number(hi);
    },
    { message: 'a range must go from low to high' },
  );

export const mccRulesConfigSchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        category_code: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be an expense category code'),
        mcc: z.array(mccEntry).min(1).max(500),
        merchant_countries: z
          .array(
            z
              .string()
              .refine((c) => isAlpha3(c), { message: 'must be an ISO 3166-1 alpha-3 code, e.g. FRA' }),
          )
          .min(1)
          .optional(),
        merchant_ids: z.array(z.string().min(1).max(64)).min(1).optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type MccRulesConfig = z.infer<typeof mccRulesConfigSchema>;

interface CompiledRule {
  code: string;
  countries: ReadonlySet<string> | null;
  merchantIds: ReadonlySet<string> | null;
}

/** Builds the matcher once per config: an MCC indexes straight into the rules that list it. */
export function compileMccRules(config: MccRulesConfig): ExpenseCategoryResolver {
  const byMcc: CompiledRule[][] = Array.from({ length: 10_000 }, () => []);
  for (const rule of config.rules) {
    const compiled: CompiledRule = {
      code: rule.category_code,
      countries: rule.merchant_countries ? new Set(rule.merchant_countries) : null,
      merchantIds: rule.merchant_ids ? new Set(rule.merchant_ids) : null,
    };
    for (const entry of rule.mcc) {
      const [, lo, hi] = MCC_RE.exec(entry)!;
      for (let mcc = Number(lo); mcc <= Number(hi ?? lo); mcc++) byMcc[mcc]!.push(compiled);
    }
  }
  return {
    resolveExpenseCategories(pending: PendingTransaction): ReadonlySet<string> | null {
      const m = pending.merchantInfo;
      const candidates = /^\d{4}$/.test(m.mcc) ? byMcc[Number(m.mcc)]! : [];
      const codes = new Set<string>();
      for (const r of candidates) {
        if (r.countries && (m.country === null || !r.countries.has(m.country))) continue;
        if (r.merchantIds && !r.merchantIds.has(m.merchantId)) continue;
        codes.add(r.code);
      }
      return codes.size > 0 ? codes : null;
    },
  };
}
