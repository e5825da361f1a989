/**
 * Loan tape benchmark: the `loan_tape` report over N loans on PostgreSQL written as CSV, streamed (the generator
 * reads lending's keyset pages of 2,000 loans and the CSV writer pulls rows as it writes) against the baseline,
 * the same query buffered (every loan read into memory by one query, then written). Target: 1,000,000 loans in
 * ≤ 60 s with RSS ≤ 300 MB. Each mode runs in its own process, so one's memory does not count in the other's peak.
 *
 *   npx tsx bench/reports/loan-tape.ts [--loans 1000000]
 *   PLINTH_BENCH_DATABASE_URL=postgres://… uses that server instead of a throwaway cluster.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Context, createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { createLogger } from '../../src/kernel/logging.js';
import type { LoanTapeRecord } from '../../src/modules/lending/index.js';
import { writeReport } from '../../src/modules/reporting/domain/index.js';
import { loanTape } from '../../src/modules/reporting/generators/loan-tape.js';
import { seedPortfolio } from '../lending/lib/portfolio.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt, header, rssMb } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '1000000' },
    mode: { type: 'string' },
    url: { type: 'string' },
    tenant: { type: 'string' },
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

/** One mode in this process: writes the tape to a file and prints seconds, rows, bytes and peak RSS as JSON. */
async function child(mode: 'streamed' | 'buffered', url: string, tenantId: string) {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-tape-'));
  const ctx = await context(url, dir);
  try {
    let peak = rssMb();
    const timer = setInterval(() => {
      peak = Math.max(peak, rssMb());
    }, 50);
    const t0 = performance.now();
    const lending = ctx.lending.reports;
    const source = {
      tenantId,
      lending:
        mode === 'streamed'
          ? lending
          : // The baseline: the same query with one page as large as the book, all rows held before writing.
            Object.assign(Object.create(lending) as typeof lending, {
              async *loans(t: string) {
                const all: LoanTapeRecord[] = [];
                for await (const l of lending.loans(t, {}, 10_000_000)) all.push(l);
                peak = Math.max(peak, rssMb());
                yield* all;
              },
            }),
      exceptions: () => (async function* () {})(),
      customers: async () => new Map(),
    };
    const file = join(dir, 'tape.csv');
    const result = await writeReport(loanTape.run({}, source), 'csv', createWriteStream(file));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, rssMb());
    console.log(JSON.stringify({ mode, seconds, rows: result.rows, bytes: statSync(file).size, peak }));
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function parent(loans: number) {
  header('reports: loan tape');
  const server = await benchPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  try {
    const ctx = await context(server.url, dir, true);
    const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'bench' }, 'bench');
    const seeded = await seedPortfolio(ctx, tenant.id, loans, 'a0000000');
    await ctx.close();
    console.log(`PostgreSQL, ${loans.toLocaleString()} loans seeded in ${fmt(seeded, 1)} s`);
    const results: Record<string, { seconds: number; rows: number; bytes: number; peak: number }> = {};
    for (const mode of ['streamed', 'buffered']) {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(import.meta.url),
          '--mode',
          mode,
          '--url',
          server.url,
          '--tenant',
          tenant.id,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const line = r.stdout.trim().split('\n').at(-1) ?? '';
      if (r.status !== 0 || !line.startsWith('{')) {
        console.log(`  ${mode}: failed (status ${r.status}) ${r.stderr.slice(-500)}`);
        continue;
      }
      results[mode] = JSON.parse(line);
      const x = results[mode]!;
      console.log(
        `  ${mode.padEnd(9)} ${fmt(x.seconds, 1)} s, ${x.rows.toLocaleString()} rows, ${fmt(x.bytes / 1e6, 0)} MB of CSV, peak RSS ${fmt(x.peak, 0)} MB`,
      );
    }
    const s = results.streamed;
    const b = results.buffered;
    if (s && b)
      console.log(
        `  ratio (buffered / streamed): time ${fmt(b.seconds / s.seconds, 2)}×, peak RSS ${fmt(b.peak / s.peak, 2)}×`,
      );
    if (s)
      console.log(
        `  target at 1,000,000 loans: ≤ 60 s and ≤ 300 MB; streamed ${loans === 1_000_000 ? 'measured' : `extrapolated ${fmt((s.seconds * 1_000_000) / loans, 0)} s`}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

if (values.mode) await child(values.mode as 'streamed' | 'buffered', values.url!, values.tenant!);
else await parent(Number(values.loans));
