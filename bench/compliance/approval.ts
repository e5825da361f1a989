/**
 * What the compliance gate adds to an approval through the whole stack: `LoanService.act(approve)` on embedded
 * PGlite (a thread of this process) or a throwaway PostgreSQL cluster (`--db postgres`, bench/lib/postgres.ts: the
 * production database, where the evaluations' rows cost what a server charges, not WebAssembly) for N loans of a tenant with all 10 rules configured (4 listen at approval, plus late_fee_cap at the loan's
 * late fee) against the same approvals on a tenant with no rule (the baseline, measured in the same run, one
 * approval of each in turn). The gate resolves the set of configs (cached), takes the borrower (cached after the
 * first read), asks aggregation for the borrower's cash flow (no linked account here: one query), evaluates, and
 * hands the compliance_checks rows to the loan's own write statement. Target (issue 13): p50 ≤ 1 ms added.
 *
 *   npx tsx bench/compliance/approval.ts [loans per tenant, default 300] [--db pglite|postgres]
 *                                        [--profile approval.cpuprofile]
 *
 * `--profile PATH` writes a CPU profile of the interleaved approvals (both tenants) and prints its self time by
 * package; open the file in Chrome DevTools to read the gate's share of the main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createContext } from '../../src/context.js';
import { SYSTEM_ACTOR } from '../../src/kernel/audit.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { parseDate } from '../../src/kernel/dates.js';
import { createLogger } from '../../src/kernel/logging.js';
import { unwrap } from '../../src/kernel/result.js';
import { RULE_KEYS } from '../../src/modules/compliance/index.js';
import { benchPostgres } from '../lib/postgres.js';
import { profiled } from '../lib/profile.js';
import { fmt, header, summarize } from '../lib/stats.js';

const { values, positionals } = parseArgs({
  options: { profile: { type: 'string' }, db: { type: 'string', default: 'pglite' } },
  allowPositionals: true,
});
const n = Number(positionals[0] ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
const pg = values.db === 'postgres' ? await benchPostgres() : null;
const ctx = await createContext({
  config: loadConfig({
    DATABASE_URL: pg?.url ?? 'memory',
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    LOG_LEVEL: 'warn',
    PLINTH_DATA_DIR: dir,
  }),
  logger: createLogger('warn'),
});

const RULE_CONFIGS: Record<string, Record<string, unknown>> = {
  state_rate_cap: { caps: [{ state: 'TX', max_rate_percent: '36' }] },
};

async function tenantWithLoans(rules: boolean) {
  const { tenant } = await ctx.tenancy.tenants.createTenant({ name: rules ? 'rules' : 'no rules' }, 'bench');
  const scope = { tenantId: tenant.id, actor: SYSTEM_ACTOR };
  unwrap(await ctx.lending.businessDates.set(scope, parseDate('2024-01-15')));
  const program = unwrap(
    await ctx.lending.programs.create(scope, {
      name: 'P',
      programType: 'installment_loan',
      terms: {
        currency: 'USD',
        annual_interest_rate: { min: '0', max: '36', default: '17.99' },
        term_count: { min: 1, max: 60, default: 36 },
        principal: { min: 100, max: 10_000_000 },
        late_fee: { type: 'flat', amount: 2500, grace_days: 15 },
      },
    }),
  );
  const customer = unwrap(
    await ctx.tenancy.customers.create(scope, {
      legalName: 'Jane Q Borrower',
      address: { lines: ['1 Main'], city: 'Austin', state: 'TX', country: 'US' },
      timeZone: 'America/Chicago',
    } as never),
  );
  // Rules on after the customer exists (ofac_screening would screen the onboarding, and no SDN list is loaded).
  if (rules)
    for (const key of RULE_KEYS)
      unwrap(
        await ctx.providerConfigs.create(scope, {
          label: key,
          serviceType: 'compliance_rule',
          providerKey: key,
          config: RULE_CONFIGS[key] ?? {},
        }),
      );
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const loan = unwrap(
      await ctx.lending.loans.create(scope, {
        programId: program.id,
        customerId: customer.id,
        request: { principal: 1_000_000, disbursement_date: '2024-01-15' },
      } as never),
    );
    ids.push(loan.id);
  }
  return { scope, ids };
}

/** One approval: its wall time and the process's CPU time meanwhile (every thread: the database's too), in µs. */
async function approve(
  t: Awaited<ReturnType<typeof tenantWithLoans>>,
  id: string,
): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const s = performance.now();
  const r = await ctx.lending.loans.act(t.scope, id, {
    action: 'approve',
    details: { underwriting: { statedMonthlyIncome: 650_000, statedMonthlyDebtPayments: 120_000 } },
  });
  const wall = (performance.now() - s) * 1000;
  const cpu = process.cpuUsage(cpu0);
  if (!r.ok) throw new Error(`approval refused: ${r.error.message}`);
  return { wall, cpu: cpu.user + cpu.system };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One approval of each tenant in turn, so a slow spell of the machine hits both series alike. */
async function interleaved(a: Awaited<ReturnType<typeof tenantWithLoans>>, b: typeof a) {
  const x: { wall: number; cpu: number }[] = [];
  const y: typeof x = [];
  for (let i = 0; i < a.ids.length; i++) {
    x.push(await approve(a, a.ids[i]!));
    y.push(await approve(b, b.ids[i]!));
  }
  const warm = Math.min(20, x.length >> 2); // the first approvals warm the caches
  const [xs, ys] = [x.slice(warm), y.slice(warm)];
  const added = ys.map((v, i) => v.wall - xs[i]!.wall);
  return {
    base: summarize(xs.map((v) => v.wall)),
    gated: summarize(ys.map((v) => v.wall)),
    added: summarize(added),
    cpu: {
      base: { p50: summarize(xs.map((v) => v.cpu)).p50, mean: mean(xs.map((v) => v.cpu)) },
      gated: { p50: summarize(ys.map((v) => v.cpu)).p50, mean: mean(ys.map((v) => v.cpu)) },
    },
  };
}

try {
  header(`compliance: an approval with all 10 rules (${pg ? 'PostgreSQL' : 'PGlite'})`);
  const none = await tenantWithLoans(false);
  const all = await tenantWithLoans(true);
  const run = () => interleaved(none, all);
  const { base, gated, added, cpu } = values.profile ? await profiled(values.profile, run) : await run();
  const checks = await ctx.compliance.checks.list(all.scope, { limit: 20 });
  console.log(
    `rules evaluated per approval: ${new Set(checks.map((c) => c.rule)).size} (${[...new Set(checks.map((c) => c.rule))].join(', ')})`,
  );
  console.log(
    `approval without rules: p50 ${fmt(base.p50 / 1000, 3)} ms, p99 ${fmt(base.p99 / 1000, 3)} ms (baseline)`,
  );
  console.log(
    `approval with 10 rules: p50 ${fmt(gated.p50 / 1000, 3)} ms, p99 ${fmt(gated.p99 / 1000, 3)} ms`,
  );
  console.log(
    `added by the rules: p50 ${fmt((gated.p50 - base.p50) / 1000, 3)} ms (difference of the p50s), ` +
      `${fmt(added.p50 / 1000, 3)} ms (p50 of the paired differences; target ≤ 1 ms); ratio ${fmt(gated.p50 / base.p50, 2)}×`,
  );
  // CPU is steadier than wall time on a loaded machine: it does not count the time spent waiting for a core.
  console.log(
    `process CPU per approval: without rules p50 ${fmt(cpu.base.p50 / 1000, 3)} ms (mean ${fmt(cpu.base.mean / 1000, 3)}), ` +
      `with rules p50 ${fmt(cpu.gated.p50 / 1000, 3)} ms (mean ${fmt(cpu.gated.mean / 1000, 3)}); ` +
      `added p50 ${fmt((cpu.gated.p50 - cpu.base.p50) / 1000, 3)} ms, mean ${fmt((cpu.gated.mean - cpu.base.mean) / 1000, 3)} ms`,
  );
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}
