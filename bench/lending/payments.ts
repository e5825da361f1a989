/**
 * Payments benchmark: manual payments through the HTTP API on PostgreSQL, 16 concurrent keep-alive clients, each
 * request with its own Idempotency-Key. Target: ≥ 1,000 payments/s, p99 reported.
 *
 * Setup: a portfolio of active installment loans seeded in bulk (lib/portfolio.ts), then `plinth serve` started
 * as its own process on a free port against the same database (API only: PLINTH_WORKERS=false). Each payment
 * goes through the whole production path: auth, the loan's read (one statement, with its Idempotency-Key), replay
 * of the loan's events, and the guarded write (one statement: event, changed installment rows, journal difference,
 * loan, completed key).
 *
 * Baseline, measured in the same run: the same payments from 1 client (no concurrency).
 *
 *   npx tsx bench/lending/payments.ts [--loans 20000] [--seconds 20] [--clients 16] [--runs 3]
 *
 * The machine is noisy: rounds of (16 clients, then 1 client) alternate `--runs` times and the medians are printed.
 *   PLINTH_BENCH_DATABASE_URL=postgres://… uses that server instead of a throwaway cluster.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { rows } from '../../src/kernel/db.js';
import { createLogger } from '../../src/kernel/logging.js';
import { HttpClients } from '../lib/http.js';
import { benchPostgres } from '../lib/postgres.js';
import { servePlinth } from '../lib/serve.js';
import { fmt, header, summarize } from '../lib/stats.js';
import { cpuMs } from './lib/cpu.js';
import { seedPortfolio } from './lib/portfolio.js';

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '16' },
    runs: { type: 'string', default: '3' },
    processes: { type: 'string', default: '2' },
  },
});
const LOANS = Number(values.loans);
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const RUNS = Number(values.runs);
const PROCESSES = Number(values.processes);

/** The seeding context and the served processes share one key, as the nodes of a deployment do. */
const KEY = generateFernetKey();

async function seed(url: string, dir: string) {
  const config = loadConfig({
    DATABASE_URL: url,
    PROVIDER_ENCRYPTION_KEY: KEY,
    LOG_LEVEL: 'warn',
    PLINTH_DATA_DIR: dir,
  });
  const ctx = await createContext({ config, logger: createLogger('warn'), jobs: true });
  try {
    await ctx.startWorkers();
    const { tenant, apiKey } = await ctx.tenancy.tenants.createTenant({ name: 'bench' }, 'bench');
    const seconds = await seedPortfolio(ctx, tenant.id, LOANS, 'c0000000');
    // Loans a payment can go to: serviced, not charged off.
    const ids = await rows<{ id: string }>(
      ctx.database.db,
      sql`SELECT id FROM loans WHERE tenant_id = ${tenant.id} AND status IN ('active', 'delinquent')`,
    );
    return { apiKey, seconds, loans: ids.map((r) => r.id) };
  } finally {
    await ctx.close();
  }
}

function serve(url: string, dir: string) {
  return servePlinth(
    {
      DATABASE_URL: url,
      PROVIDER_ENCRYPTION_KEY: KEY,
      PLINTH_DATA_DIR: dir,
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? String(Math.ceil(16 / PROCESSES)),
    },
    PROCESSES,
  );
}

let sequence = 0;

/** `clients` loops posting payments for `seconds`; returns payments/s and latencies (ms). */
async function drive(base: string, key: string, loans: string[], clients: number, seconds: number) {
  const pool = new HttpClients(base, { connections: clients });
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const loan = loans[Math.floor(Math.random() * loans.length)]!;
      const t0 = performance.now();
      const r = await pool.post(
        `/v1/loans/${loan}/payments`,
        {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${process.pid}-${++sequence}`,
        },
        JSON.stringify({ amount: 1000 }),
      );
      if (r.status === 201) latencies.push(performance.now() - t0);
      else failures++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - t0) / 1000;
  await pool.close();
  return { perSecond: latencies.length / elapsed, latencies, failures };
}

header('lending: payments through HTTP');
const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
const pg = await benchPostgres();
let child: ChildProcess | undefined;
try {
  const seeded = await seed(pg.url, dir);
  console.log(`seeded ${LOANS.toLocaleString()} loans in ${fmt(seeded.seconds, 1)} s`);
  const server = await serve(pg.url, dir);
  child = server.child;
  await drive(server.base, seeded.apiKey, seeded.loans, CLIENTS, 3); // warm-up
  const database = new URL(pg.url).pathname.slice(1);
  const rounds: {
    many: number;
    one: number;
    p50: number;
    p99: number;
    server: number;
    postgres: number;
    driver: number;
  }[] = [];
  for (let round = 1; round <= RUNS; round++) {
    const cpu0 = cpuMs(child.pid!, database);
    const driver0 = process.cpuUsage();
    const many = await drive(server.base, seeded.apiKey, seeded.loans, CLIENTS, SECONDS);
    const cpu1 = cpuMs(child.pid!, database);
    const driver = process.cpuUsage(driver0);
    const one = await drive(server.base, seeded.apiKey, seeded.loans, 1, Math.max(5, SECONDS / 2));
    const m = summarize(many.latencies);
    const o = summarize(one.latencies);
    const n = many.latencies.length;
    console.log(
      `round ${round}: ${CLIENTS} clients ${fmt(many.perSecond, 0)} payments/s (p50 ${fmt(m.p50)} ms, p99 ${fmt(m.p99)} ms, ${n} payments, ${many.failures} failed); 1 client ${fmt(one.perSecond, 0)}/s (p50 ${fmt(o.p50)} ms, p99 ${fmt(o.p99)} ms)`,
    );
    rounds.push({
      many: many.perSecond,
      one: one.perSecond,
      p50: m.p50,
      p99: m.p99,
      server: (cpu1.server - cpu0.server) / n,
      postgres: (cpu1.postgres - cpu0.postgres) / n,
      driver: (driver.user + driver.system) / 1000 / n,
    });
  }
  const med = (f: (r: (typeof rounds)[number]) => number) => summarize(rounds.map(f)).p50;
  console.log(
    `median of ${RUNS}: ${CLIENTS} clients ${fmt(
      med((r) => r.many),
      0,
    )} payments/s, p50 ${fmt(med((r) => r.p50))} ms, p99 ${fmt(med((r) => r.p99))} ms (target ≥ 1,000/s)`,
  );
  console.log(
    `baseline, 1 client: ${fmt(
      med((r) => r.one),
      0,
    )} payments/s`,
  );
  console.log(
    `ratio: ${fmt(
      med((r) => r.many / r.one),
      1,
    )}× the throughput of one client`,
  );
  console.log(
    `CPU per payment (${CLIENTS} clients): server ${fmt(med((r) => r.server))} ms, PostgreSQL ${fmt(med((r) => r.postgres))} ms, load generator ${fmt(med((r) => r.driver))} ms`,
  );
} finally {
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
