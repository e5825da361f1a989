/**
 * Close-of-business benchmark: one business day over N active installment loans, seeded in bulk (see
 * lib/portfolio.ts for the mix: current loans accruing, installments due, late fees, aging, charge-offs).
 * Targets: 1,000,000 loans on PostgreSQL in ≤ 60 s with the process's RSS ≤ 512 MB; 100,000 on PGlite.
 *
 * The day runs the production path: POST-equivalent request → day start → pg-boss batch jobs worked by this
 * process (PLINTH_COB_WORKERS at once on PostgreSQL, one on PGlite) → day completed. Afterwards a sample of loans
 * is reconciled against the engine's replay.
 *
 * Baseline, measured in the same run on its own tenant: the same day closed loan by loan in JavaScript (lock,
 * read events, replay, write the changed rows and the journal difference: `LoanService.rebuild`), on a sample,
 * extrapolated to N.
 *
 *   npx tsx bench/lending/cob.ts [--loans 1000000] [--pglite-loans 100000] [--only postgres|pglite] [--baseline 2000]
 *   PLINTH_BENCH_DATABASE_URL=postgres://… uses that server instead of a throwaway cluster.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Context, createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { createLogger } from '../../src/kernel/logging.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { benchPostgres, postgresRssMb } from '../lib/postgres.js';
import { fmt, header, rssMb } from '../lib/stats.js';
import { CLOSE_DAY, closeThrough, sampleLoans, seedPortfolio } from './lib/portfolio.js';

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '1000000' },
    'pglite-loans': { type: 'string', default: '100000' },
    only: { type: 'string' },
    baseline: { type: 'string', default: '2000' },
  },
});

/** A context on PostgreSQL (url) or on PGlite persisted in dataDir. */
async function context(url: string | undefined, dataDir: string): Promise<Context> {
  const config = loadConfig({
    ...(url && { DATABASE_URL: url }),
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    LOG_LEVEL: 'warn',
    PLINTH_DATA_DIR: dataDir,
    DATABASE_POOL_MAX: '8',
    PLINTH_COB_WORKERS: process.env.PLINTH_COB_WORKERS ?? '2',
    PLINTH_COB_BATCH_SIZE: process.env.PLINTH_COB_BATCH_SIZE ?? '20000',
  });
  const ctx = await createContext({ config, logger: createLogger('warn'), jobs: true });
  await ctx.startWorkers();
  return ctx;
}

/** Closes CLOSE_DAY for the tenant through the queue; returns seconds and peak RSS while it ran. */
async function closeDay(ctx: Context, tenantId: string) {
  let peak = rssMb();
  let pgPeak = postgresRssMb();
  const t0 = performance.now();
  await closeThrough(ctx, tenantId, CLOSE_DAY, (run) => {
    peak = Math.max(peak, rssMb());
    const pg = postgresRssMb();
    if (pg.sum > pgPeak.sum) pgPeak = pg;
    const elapsed = (performance.now() - t0) / 1000;
    process.stdout.write(
      `\r  close of business: batches ${run?.batchesDone ?? 0}/${run?.batchesTotal ?? '?'}, loans ${run?.loansDone ?? 0}/${run?.loansTotal ?? '?'}, ${fmt(elapsed, 1)} s   `,
    );
  });
  process.stdout.write('\n');
  return { seconds: (performance.now() - t0) / 1000, peak: Math.max(peak, rssMb()), pgPeak };
}

/** The baseline: the same day closed loan by loan through the engine, on a sample of its own tenant. */
async function loanByLoan(ctx: Context, n: number): Promise<number> {
  const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'baseline' }, 'bench');
  await seedPortfolio(ctx, tenant.id, n, 'b0000000');
  const ids = await sampleLoans(ctx.database.db, tenant.id, n);
  const t0 = performance.now();
  for (const id of ids) await ctx.lending.loans.rebuild(tenant.id, id, CLOSE_DAY, { closeOfBusiness: true });
  return ids.length / ((performance.now() - t0) / 1000);
}

async function run(kind: 'postgres' | 'pglite', loans: number, baselineSample: number) {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  const server = kind === 'postgres' ? await benchPostgres() : undefined;
  const stop = async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const ctx = await context(server?.url, dir);
  try {
    console.log(`\n${kind}: ${loans.toLocaleString()} loans`);
    const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'bench' }, 'bench');
    const seeded = await seedPortfolio(ctx, tenant.id, loans, 'a0000000');
    console.log(`  seeded in ${fmt(seeded, 1)} s`);
    const day = await closeDay(ctx, tenant.id);
    const sample = await sampleLoans(ctx.database.db, tenant.id, 300);
    const problems = await reconcile(
      ctx.database.db,
      servicingOf,
      tenant.id,
      { asOf: CLOSE_DAY, closeOfBusiness: true },
      sample,
    );
    const baseline = await loanByLoan(ctx, Math.min(baselineSample, loans));
    const baselineSeconds = loans / baseline;
    console.log(
      `  one business day:        ${fmt(day.seconds, 1)} s  (${Math.round(loans / day.seconds).toLocaleString()} loans/s)`,
    );
    console.log(`  peak RSS of this process: ${fmt(day.peak, 0)} MB`);
    if (kind === 'postgres')
      console.log(
        `  PostgreSQL processes:    largest ${fmt(day.pgPeak.largest, 0)} MB, sum ${fmt(day.pgPeak.sum, 0)} MB (shared buffers count in each)`,
      );
    console.log(
      `  reconciled sample:       ${sample.length} loans, ${problems.length} differences from the replay`,
    );
    console.log(
      `  baseline (loan by loan in JS, ${Math.min(baselineSample, loans)} loans): ${Math.round(baseline).toLocaleString()} loans/s → ${fmt(baselineSeconds, 0)} s for ${loans.toLocaleString()}`,
    );
    console.log(`  ratio: set-based SQL is ${fmt(baselineSeconds / day.seconds, 1)}× faster`);
    if (problems.length > 0) console.log(problems.slice(0, 3).join('\n'));
  } finally {
    await ctx.close();
    await stop();
  }
}

const only = values.only;
if (only === 'pglite') await run('pglite', Number(values['pglite-loans']), Number(values.baseline));
else if (only === 'postgres') await run('postgres', Number(values.loans), Number(values.baseline));
else {
  // Each engine in its own process, so that one's memory does not count in the other's peak RSS.
  header('lending: close of business');
  for (const kind of ['pglite', 'postgres'])
    spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2), '--only', kind],
      {
        stdio: 'inherit',
      },
    );
}
