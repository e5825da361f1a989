/**
 * Loan tape benchmark: the `loan_tape` report over N loans on PostgreSQL written as CSV to a file. Target:
 * 1,000,000 loans in ≤ 60 s with the process's peak RSS ≤ 300 MB.
 *
 *   streamed   the product path: lending's `tape` reads one query through a server-side cursor (1,000 rows a
 *              fetch, the next one asked for while this one is written) and the CSV writer pulls the rows as it
 *              writes, waiting for the file when it asks to.
 *   buffered   the baseline: the same query (lending's keyset query with one page as large as the book) read
 *              whole into memory by one round trip, then written the same way.
 * Each run is its own process (so one's memory does not count in another's peak), on the same database. The
 * streamed mode runs `--runs` times (median reported); the baseline once, over the first `--baseline-loans`
 * loans (default: all of them).
 *
 * Seeding: a million loans through the API would take hours, so lib/portfolio.ts builds 30 template loans through
 * the product path (originate, approve, disburse, payments, close of business) and copies them with set-based SQL
 * (generate_series) into N loans: the same tables and columns the product writes (loans, loan_events,
 * loan_installments, loan_journal), each copy's history as opening journal entries after its checkpoint, so the
 * tape reads every loan's balances as checkpoint + journal rows, its past due from the installment rows, exactly
 * as for a loan the product wrote. The copies go in in id order with the secondary indexes built after them, on a
 * cluster started with bulk-load settings (no fsync, minimal WAL: postgres.ts BULK_LOAD) and restarted with the
 * durable defaults before anything is measured; VACUUM leaves the tables as a settled book (hint bits set).
 * 1,000,000 loans: ~11 minutes on the loaded 2-core machine (it was ~25 before), about 18 GB on disk.
 *
 * Keeping the seeded cluster, to measure it again later (say on a quiet machine) without seeding:
 *   --keep DIR    the throwaway cluster is made in DIR (which must not hold one yet) and left there, stopped, with
 *                 DIR/bench.json naming its database, tenant and loan count.
 *   --reuse DIR   starts the cluster kept in DIR, measures (no seeding; --loans is ignored) and stops it again.
 *   --runs 0      seeds (and keeps, with --keep) without measuring.
 *   --profile F   writes each child's V8 CPU profile to F.<mode>.cpuprofile (Chrome DevTools opens it).
 * CPU PostgreSQL is that of this cluster's server processes (pg_stat_activity), not of others on the machine.
 *
 * Memory: the streamed process runs with --max-old-space-size=192 (`--heap-mb`), as a reporting worker should:
 * the tape's live heap stays near 100 MB, but without a cap V8 lets garbage pile up to 3× that before a full
 * collection (measured at 1M: peak RSS ~540 MB uncapped, 268 MB capped; bench/RESULTS.md).
 *
 *   npx tsx bench/reports/loan-tape.ts [--loans 1000000] [--runs 3] [--baseline-loans N] [--heap-mb 192]
 *                                      [--keep DIR | --reuse DIR] [--profile FILE]
 *   PLINTH_BENCH_DATABASE_URL=postgres://… uses that server instead of a throwaway cluster.
 */
import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { type Context, createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { rows } from '../../src/kernel/db.js';
import { createLogger } from '../../src/kernel/logging.js';
import { LendingReportSource } from '../../src/modules/lending/index.js';
import { writeReport } from '../../src/modules/reporting/domain/index.js';
import { loanTape } from '../../src/modules/reporting/generators/loan-tape.js';
import { freshDatabase } from '../../test/helpers/database.js';
import { seedPortfolio, TEMPLATE_COUNT } from '../lending/lib/portfolio.js';
import { BULK_LOAD, benchCluster, processCpuMs } from '../lib/postgres.js';
import { profiled } from '../lib/profile.js';
import { fmt, header, rssMb } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    'baseline-loans': { type: 'string' },
    mode: { type: 'string' },
    url: { type: 'string' },
    tenant: { type: 'string' },
    limit: { type: 'string' },
    'heap-mb': { type: 'string', default: '192' },
    keep: { type: 'string' },
    reuse: { type: 'string' },
    profile: { type: 'string' },
  },
});

async function context(url: string, dataDir: string, jobs = false): Promise<Context> {
  const config = loadConfig({
    DATABASE_URL: url,
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    LOG_LEVEL: 'warn',
    PLINTH_DATA_DIR: dataDir,
    DATABASE_POOL_MAX: '8',
    PLINTH_COB_WORKERS: '2',
  });
  const ctx = await createContext({ config, logger: createLogger('warn'), jobs });
  // Seeding services its template loans through close of business, which runs on the queue's workers.
  if (jobs) await ctx.startWorkers();
  return ctx;
}

interface Measured {
  mode: string;
  seconds: number;
  rows: number;
  bytes: number;
  peak: number;
  /** CPU of this process and of the PostgreSQL backends, ms. */
  nodeCpu: number;
  pgCpu: number;
}

/**
 * CPU (ms) of this cluster's server processes now running (pg_stat_activity: backends, the cursor's among them, and
 * the background processes), not of every PostgreSQL on the machine: other clusters run beside a bench.
 */
async function postgresCpuMs(ctx: Context): Promise<Map<number, number>> {
  const pids = await rows<{ pid: number }>(ctx.database.db, sql`SELECT pid FROM pg_stat_activity`);
  return new Map(pids.map(({ pid }) => [pid, processCpuMs(pid)]));
}

/** One mode in this process: writes the tape to a file and prints what it measured as JSON. */
async function child(mode: 'streamed' | 'buffered', url: string, tenantId: string, limit: number) {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-tape-'));
  const ctx = await context(url, dir);
  try {
    let peak = rssMb();
    const timer = setInterval(() => {
      peak = Math.max(peak, rssMb());
    }, 50);
    const pgBefore = await postgresCpuMs(ctx);
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    const streamed = ctx.lending.reports;
    // The baseline: the keyset query (no cursor) with one page of `limit` rows, all held before the first is written.
    const keyset = new LendingReportSource({ db: ctx.database.db });
    const lending =
      mode === 'streamed'
        ? streamed
        : Object.assign(Object.create(streamed) as typeof streamed, {
            async *tape(t: string) {
              const all = [];
              for await (const l of keyset.tape(t, {}, limit)) {
                all.push(l);
                if (all.length === limit) break;
              }
              peak = Math.max(peak, rssMb());
              yield* all;
            },
          });
    const source = {
      tenantId,
      lending,
      exceptions: () => (async function* () {})(),
      customers: async () => new Map(),
      taxIds: async () => new Map(),
    };
    const file = join(dir, 'tape.csv');
    const write = () => writeReport(loanTape.run({}, source), 'csv', createWriteStream(file));
    const result = values.profile ? await profiled(values.profile, write) : await write();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    let pgCpu = 0;
    for (const [pid, ms] of await postgresCpuMs(ctx)) pgCpu += ms - (pgBefore.get(pid) ?? 0);
    clearInterval(timer);
    peak = Math.max(peak, rssMb());
    const measured: Measured = {
      mode,
      seconds,
      rows: result.rows,
      bytes: statSync(file).size,
      peak,
      nodeCpu: (cpu.user + cpu.system) / 1000,
      pgCpu,
    };
    console.log(JSON.stringify(measured));
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnMode(mode: string, url: string, tenantId: string, limit: number): Measured | undefined {
  // The streamed run's heap is capped (README, "Figures"): without a cap V8 lets garbage reach several times the
  // live heap before a full collection. The buffered baseline holds the book, so it runs without one.
  const heap = mode === 'streamed' ? [`--max-old-space-size=${values['heap-mb']}`] : [];
  const profile = values.profile ? ['--profile', `${values.profile}.${mode}.cpuprofile`] : [];
  const args = [
    ...heap,
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--mode',
    mode,
    '--url',
    url,
    ...profile,
  ];
  const r = spawnSync(process.execPath, [...args, '--tenant', tenantId, '--limit', String(limit)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    console.log(`  ${mode}: failed (status ${r.status}) ${r.stderr.slice(-500)}`);
    return undefined;
  }
  const x = JSON.parse(line) as Measured;
  const perRow = (ms: number) => fmt((ms * 1000) / x.rows, 1);
  console.log(
    `  ${mode.padEnd(9)} ${fmt(x.seconds, 1)} s, ${x.rows.toLocaleString()} rows, ${fmt(x.bytes / 1e6, 0)} MB of CSV, ` +
      `peak RSS ${fmt(x.peak, 0)} MB; CPU per row: node ${perRow(x.nodeCpu)} µs, PostgreSQL ${perRow(x.pgCpu)} µs`,
  );
  return x;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** What a kept cluster's directory records about its seeded database (`--keep`), for `--reuse`. */
interface Kept {
  database: string;
  tenantId: string;
  loans: number;
}

/** `server`'s URL (postgres://…/postgres) pointed at `database`. */
function onDatabase(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The database to measure: a kept cluster's (`--reuse`), else a freshly seeded one on a throwaway cluster (kept in
 * `--keep`'s directory) or on PLINTH_BENCH_DATABASE_URL's server. The cluster's seed runs with BULK_LOAD's
 * settings and the cluster restarts with the durable defaults before anything is measured.
 */
async function database(loans: number): Promise<{ url: string; kept: Kept; stop: () => Promise<void> }> {
  const reuse = values.reuse;
  if (reuse) {
    const kept = JSON.parse(readFileSync(join(reuse, 'bench.json'), 'utf8')) as Kept;
    const cluster = benchCluster(reuse);
    console.log(`PostgreSQL, ${kept.loans.toLocaleString()} loans kept in ${reuse}`);
    return { url: onDatabase(cluster.server, kept.database), kept, stop: () => cluster.stop(false) };
  }
  const given = process.env.PLINTH_BENCH_DATABASE_URL;
  const keep = values.keep;
  if (keep && existsSync(join(keep, 'data')))
    throw new Error(`${keep} already holds a cluster: use --reuse ${keep}`);
  const cluster = given
    ? undefined
    : benchCluster(keep ?? mkdtempSync(join(tmpdir(), 'plinth-bench-pg-')), BULK_LOAD);
  const db = await freshDatabase(given ?? cluster!.server, 'plinth_bench');
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  let url = db.url;
  try {
    const ctx = await context(url, dir, true);
    const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'bench' }, 'bench');
    const seeded = await seedPortfolio(ctx, tenant.id, loans, 'a0000000');
    await ctx.close();
    console.log(`PostgreSQL, ${loans.toLocaleString()} loans seeded in ${fmt(seeded, 1)} s`);
    const kept: Kept = {
      database: new URL(url).pathname.slice(1),
      tenantId: tenant.id,
      loans: loans + TEMPLATE_COUNT,
    };
    if (cluster) {
      await cluster.restart();
      url = onDatabase(cluster.server, kept.database);
      // With the default max_wal_size again, a checkpoint drops the bulk load's WAL segments (gigabytes).
      const ctx = await context(url, dir);
      await ctx.database.db.execute(sql`CHECKPOINT`);
      await ctx.close();
    }
    if (keep) writeFileSync(join(keep, 'bench.json'), `${JSON.stringify(kept, null, 2)}\n`);
    const stop = async () => {
      if (cluster) await cluster.stop(!keep);
      else await db.drop();
    };
    return { url, kept, stop };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function parent(loans: number, runs: number, baselineLoans: number | undefined) {
  header('reports: loan tape');
  const { url, kept, stop } = await database(loans);
  try {
    if (runs === 0) return;
    const streamed: Measured[] = [];
    for (let i = 0; i < runs; i++) {
      const x = spawnMode('streamed', url, kept.tenantId, kept.loans);
      if (x) streamed.push(x);
    }
    const b = spawnMode('buffered', url, kept.tenantId, baselineLoans ?? kept.loans);
    if (streamed.length === 0) return;
    const s = {
      seconds: median(streamed.map((x) => x.seconds)),
      peak: median(streamed.map((x) => x.peak)),
      cpu: median(streamed.map((x) => x.nodeCpu + x.pgCpu)),
      rows: streamed[0]!.rows,
    };
    const at1M =
      s.rows >= 1_000_000 ? 'measured' : `extrapolated ${fmt((s.seconds * 1_000_000) / s.rows, 0)} s`;
    console.log(
      `  streamed, median of ${streamed.length}: ${fmt(s.seconds, 1)} s, peak RSS ${fmt(s.peak, 0)} MB, ` +
        `CPU ${fmt((s.cpu * 1000) / s.rows, 1)} µs per row (node + PostgreSQL)`,
    );
    console.log(`  target at 1,000,000 loans: ≤ 60 s and ≤ 300 MB; streamed ${at1M}`);
    if (b) {
      const perRow = (seconds: number, rows: number) => seconds / rows;
      console.log(
        `  ratio (buffered / streamed, per row${b.rows === s.rows ? '' : `; baseline over ${b.rows.toLocaleString()} loans`}): ` +
          `time ${fmt(perRow(b.seconds, b.rows) / perRow(s.seconds, s.rows), 2)}×, peak RSS ${fmt(b.peak / s.peak, 2)}×, ` +
          `CPU ${fmt((b.nodeCpu + b.pgCpu) / b.rows / (s.cpu / s.rows), 2)}×`,
      );
    }
  } finally {
    await stop();
  }
}

if (values.mode)
  await child(values.mode as 'streamed' | 'buffered', values.url!, values.tenant!, Number(values.limit));
else {
  const baseline = values['baseline-loans'];
  await parent(Number(values.loans), Number(values.runs), baseline ? Number(baseline) : undefined);
}
