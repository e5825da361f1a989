/**
 * All 10 rules at an approval: what compliance adds to approving a loan. Target (issue 13): p50 ≤ 1 ms.
 * The approval is a $10,000, 36-month loan of a covered servicemember with an origination fee, stated income
 * and a cash-flow summary; the rules run with their default configs (the rate cap with a TX row) and the
 * sample SDN list's index grown to full scale (18,000 entries).
 *
 * The approval carries the Truth in Lending figures lending computed for the loan's disclosure (`loan.regZ`), as
 * the wiring passes them: approving a loan does not solve Appendix J again.
 *
 * Baseline, measured in the same run: the same rules without lending's figures, so the rules solve Appendix J
 * themselves through lending's computeApr (once per approval, shared by the rules).
 *
 *   npx tsx bench/compliance/rules.ts [iterations]
 */
import { addMonths, parseDate } from '../../src/kernel/dates.js';
import {
  BUILT_IN_RULES,
  type ComplianceContext,
  type ConfiguredRule,
  configureRule,
  evaluateRules,
  parseSdnFiles,
  SdnIndex,
} from '../../src/modules/compliance/domain/index.js';
import { checkDisclosedApr, computeApr } from '../../src/modules/lending/domain/apr/index.js';
import { fmt, header, summarize } from '../lib/stats.js';
import { generateSdnFiles } from './lib/generate-sdn.js';

const iterations = Number(process.argv[2] ?? 3_000);
const d = parseDate;
const files = generateSdnFiles(18_000);
const list = parseSdnFiles(files);
if (!list.ok) throw new Error(list.error.message);
const deps = { apr: computeApr, aprAccuracy: checkDisclosedApr, sdn: SdnIndex.build(list.value) };

const rules: ConfiguredRule[] = BUILT_IN_RULES.map((rule) => {
  const config = rule.key === 'state_rate_cap' ? { caps: [{ state: 'TX', max_rate_percent: '36' }] } : {};
  const configured = configureRule(rule, config);
  if (!configured.ok) throw new Error(configured.error.message);
  return configured.value;
});

const regZ = (() => {
  const start = d('2024-01-15');
  const payments = Array.from({ length: 36 }, (_, k) => ({ amount: 36_149, date: addMonths(start, k + 1) }));
  const apr = computeApr({ advances: [{ amount: 980_000, date: start }], payments });
  if (!apr.ok) throw new Error(apr.error.message);
  return {
    amountFinanced: 980_000,
    financeCharge: 36 * 36_149 - 980_000,
    totalOfPayments: 36 * 36_149,
    apr: apr.value,
  };
})();

function approval(withFigures: boolean): ComplianceContext {
  const start = d('2024-01-15');
  return {
    hook: 'approval',
    asOf: start,
    now: new Date('2024-01-15T15:00:00Z'),
    borrower: {
      name: { full: 'Jane Q Borrower' },
      dateOfBirth: d('1990-04-01'),
      state: 'TX',
      timeZones: ['America/Chicago'],
      military: { mlaCovered: true, activeDuty: [{ start: d('2022-06-01') }] },
    },
    loan: {
      product: 'installment_loan',
      creditType: 'closed_end',
      currency: 'USD',
      principal: 1_000_000,
      annualRatePercent: '17.99',
      consummationDate: start,
      upfrontCharges: [{ kind: 'origination', amount: 20_000, financeCharge: true }],
      schedule: Array.from({ length: 36 }, (_, k) => ({ amount: 36_149, date: addMonths(start, k + 1) })),
      disclosure: { apr: '19.45', financeCharge: 321_364 },
      securedByRealProperty: false,
      securedByPrincipalDwelling: false,
      rescissionExempt: false,
      hasPrepaymentPenalty: false,
      hasMandatoryArbitration: false,
      ...(withFigures ? { regZ } : {}),
    },
    underwriting: { statedMonthlyIncome: 650_000, statedMonthlyDebtPayments: 120_000 },
  };
}

header('compliance rules at an approval');
const sample = evaluateRules(rules, approval(true), deps);
console.log(`outcome ${sample.outcome}: ${sample.results.map((r) => `${r.rule}=${r.outcome}`).join(', ')}`);

const time = (fn: () => unknown, n = iterations) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    out.push((performance.now() - s) * 1000);
  }
  return summarize(out);
};
time(() => evaluateRules(rules, approval(true), deps));
const shared = time(() => evaluateRules(rules, approval(true), deps));
const baseline = time(() => evaluateRules(rules, approval(false), deps), Math.min(iterations, 100));
console.log(
  `10 rules (4 listen at approval): p50 ${fmt(shared.p50 / 1000, 3)} ms, p99 ${fmt(shared.p99 / 1000, 3)} ms (target p50 ≤ 1 ms)`,
);
console.log(`baseline, the rules solving Appendix J: p50 ${fmt(baseline.p50 / 1000, 3)} ms`);
console.log(`ratio: ${fmt(baseline.p50 / shared.p50, 2)}x`);
