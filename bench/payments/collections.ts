/**
 * Collections benchmark: `POST /v1/loans/{id}/collections` through the HTTP API against the Stripe simulator
 * (official SDK), each collection charged, captured and applied to its loan in one statement with the payment's
 * record. Figures: collections/s with 32 concurrent clients (target ≥ 500/s) with p50/p99, against the one-client
 * rate measured in the same run; Plinth's own time per collection (its latency less the time spent waiting for the
 * simulator, measured with one client so that each request's processor calls are its own; target p50 ≤ 3 ms); and
 * duplicate charges at the simulator when every request is sent twice with the same Idempotency-Key, and when
 * the simulator times out half the captures and the client retries with the same Idempotency-Key; and the SQL
 * statements one collection makes (counted at the database client, one client).
 *
 *   npx tsx bench/payments/collections.ts [--loans 128] [--seconds 10] [--clients 32] [--db pglite|postgres]
 *                                         [--profile DIR] [--serve 1,2]
 *
 * Plinth runs on this process's main thread; the load generator (keep-alive clients, bench/payments/load.ts) runs in a
 * thread of its own (bench/lib/load.ts), as a lender's clients are not in Plinth's process: its CPU is measured
 * apart and left out of Plinth's. The database is embedded PGlite (in memory, a thread of this process) or a
 * throwaway PostgreSQL cluster (bench/lib/postgres.ts). The Stripe simulator of the timed rounds runs in a process
 * of its own, as the vendor is not in Plinth's process, so its CPU is counted apart; the two idempotency scenarios
 * use one in this process (they inject its faults and read its ledger). The simulator's share of a request is the
 * time its HTTP calls took as Plinth's HTTP client saw them (from the request's creation, after the SDK built it,
 * to the response's last byte), so the SDK's own work is Plinth's. `--profile DIR` writes a CPU profile of this
 * process during the many-client round and prints where its time went. `--serve 1,2` (PostgreSQL) then runs the
 * same rounds against `plinth serve` as a deployment runs it (compiled, `PLINTH_HTTP_PROCESSES` copies sharing the
 * port: README, "Running on PostgreSQL"), once per process count, printed under its own label (bench/payments/served.ts).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStripeSimulator } from '../../sandbox/simulators/stripe/index.js';
import { createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { cpuMs } from '../lending/lib/cpu.js';
import { HttpClients } from '../lib/http.js';
import { benchPostgres } from '../lib/postgres.js';
import { profiled } from '../lib/profile.js';
import { simulatorProcess, simulatorUrl } from '../lib/simulator.js';
import { fmt, header, summarize } from '../lib/stats.js';
import { runCollections, stopCollections } from './load.js';
import { servedRounds } from './served.js';
import { type BenchTenant, benchTenants } from './setup.js';
import { countStatements } from './statements.js';

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '128' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '32' },
    db: { type: 'string', default: 'pglite' },
    profile: { type: 'string' },
    serve: { type: 'string' },
  },
});
const LOANS = Number(values.loans);
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
/** `--serve 1,2`: also measure `plinth serve` with 1, then 2 processes (PostgreSQL only). */
const SERVE = values.serve ? values.serve.split(',').map(Number) : [];
if (SERVE.length > 0 && values.db !== 'postgres') throw new Error('--serve needs --db postgres');

const admin = `bench-admin-${generateFernetKey().slice(0, 12)}`;
const pg = values.db === 'postgres' ? await benchPostgres() : null;
const statements = countStatements();
/** What the in-process Plinth and the served ones (`--serve`) share, as the nodes of a deployment do. */
const deployment = {
  DATABASE_URL: pg?.url ?? 'memory',
  PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
  PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*',
};
const config = loadConfig({
  ...process.env,
  ...deployment,
  PORT: '0',
  PLINTH_ADMIN_TOKEN: admin,
  LOG_LEVEL: 'warn',
  PLINTH_WORKERS: 'false',
});
const sim = await startStripeSimulator({ webhookDelivery: 'manual' });

/** The Stripe simulator of the timed rounds, in a process of its own on a free port. */
const remote = await simulatorProcess('stripe', (out) => {
  const url = simulatorUrl(out);
  const apiKey = /secret key:\s+(\S+)/.exec(out)?.[1];
  return url && apiKey ? { url, apiKey } : null;
});
const ctx = await createContext({ config });
const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

// Requests outside the timed rounds (the statement count, the timeout scenario, which injects a fault per request):
// keep-alive connections on this thread.
const clients = new HttpClients(base, { connections: 64 });
async function collect(path: string, key: string, body: unknown, idem: string) {
  const r = await clients.post(
    path,
    { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idem },
    JSON.stringify(body),
  );
  return { status: r.status, body: r.text ? JSON.parse(r.text) : {} };
}

const setupTenant = benchTenants(base, admin);

const main = await setupTenant('Bench', LOANS, 30_000, remote);
const { key, loans } = main;

// The simulator's share of each request: each HTTP call to the timed rounds' simulator, from its creation (after the
// SDK built it) to its response's last byte, on the wall clock's scale the load thread reports in.
const simulatorHost = new URL(remote.url).host;
const simulatorCalls: { from: number; to: number }[] = [];
const wallClock = () => performance.timeOrigin + performance.now();
subscribe('http.client.request.start', (message) => {
  const request = (message as { request: ClientRequest }).request;
  if (request.getHeader('host') !== simulatorHost) return;
  const from = wallClock();
  request.once('response', (res: IncomingMessage) =>
    res.prependOnceListener('end', () => simulatorCalls.push({ from, to: wallClock() })),
  );
});

/** The time in `calls` inside [from, to] (with one client a request's calls are its own and do not overlap). */
function within(calls: readonly { from: number; to: number }[], from: number, to: number): number {
  let ms = 0;
  for (const c of calls) if (c.to > from && c.from < to) ms += Math.min(to, c.to) - Math.max(from, c.from);
  return ms;
}
const simulatorMs = (from: number, to: number) => within(simulatorCalls, from, to);

/**
 * One client's collections step by step (PostgreSQL on the other side): the time in each of its three statements and
 * its processor call, and in Plinth's code before, between and after them; p50 of each, over the requests whose
 * calls were the usual read, record, processor call and finalization.
 */
const STEPS = [
  'code',
  'read',
  'code',
  'record',
  'code',
  'processor',
  'code',
  'finalization',
  'code',
] as const;
function stepsOf(sent: readonly number[], answered: readonly number[]): { step: string; p50: number }[] {
  const rows: number[][] = [];
  sent.forEach((from, i) => {
    const to = answered[i]!;
    const inside = (c: { from: number; to: number }) => c.from >= from && c.to <= to;
    const calls = [...statements.roundTrips().filter(inside), ...simulatorCalls.filter(inside)].sort(
      (a, b) => a.from - b.from,
    );
    if (calls.length !== 4) return;
    const row: number[] = [];
    let at = from;
    for (const c of calls) {
      row.push(c.from - at, c.to - c.from);
      at = c.to;
    }
    row.push(to - at);
    rows.push(row);
  });
  return STEPS.map((step, k) => ({ step, p50: summarize(rows.map((r) => r[k]!)).p50 }));
}

const pgCpuMs = () => (pg ? cpuMs(process.pid, new URL(pg.url).pathname.slice(1)).postgres : Number.NaN);

let round_ = 0;
async function round(
  clients: number,
  seconds: number,
  twice = false,
  profile?: string,
  on: BenchTenant = main,
) {
  simulatorCalls.length = 0;
  statements.clearRoundTrips();
  const cpu0 = process.cpuUsage();
  const simCpu0 = remote.cpuMs();
  const pgCpu0 = pgCpuMs();
  const sent0 = statements.sent();
  const thread = statements.databaseThread();
  const busy0 = [performance.eventLoopUtilization(), thread?.performance.eventLoopUtilization()] as const;
  const load = () =>
    runCollections({
      origin: base,
      apiKey: on.key,
      loans: on.loans,
      clients,
      seconds,
      keyPrefix: `bench-${++round_}`,
      twice,
    });
  const o = profile
    ? await profiled(join(profile, `collections-${clients}-clients.cpuprofile`), load)
    : await load();
  const cpu = process.cpuUsage(cpu0);
  const simCpu = remote.cpuMs() - simCpu0;
  const pgCpu = pgCpuMs() - pgCpu0;
  const sent = statements.sent() - sent0;
  const busy = {
    main: performance.eventLoopUtilization(busy0[0]).utilization,
    database: thread && busy0[1] ? thread.performance.eventLoopUtilization(busy0[1]).utilization : null,
  };
  const latencies = o.sent.map((t, i) => o.answered[i]! - t);
  // With one client each request's simulator calls are its own.
  const own = clients === 1 ? o.sent.map((t, i) => latencies[i]! - simulatorMs(t, o.answered[i]!)) : [];
  // PostgreSQL's round trips within each request's own time (PGlite answers in this process: not counted apart).
  const database =
    pg && clients === 1 ? o.sent.map((t, i) => within(statements.roundTrips(), t, o.answered[i]!)) : [];
  const steps = pg && clients === 1 ? stepsOf(o.sent, o.answered) : null;
  const n = latencies.length;
  const processMs = (cpu.user + cpu.system) / 1000;
  return {
    rate: n / o.seconds,
    // Plinth's process less the load generator's thread: Plinth and its database thread (PGlite only).
    cpuMs: (processMs - o.clientCpuMs) / n,
    clientCpuMs: o.clientCpuMs / n,
    // The simulator's process (timed rounds only; its CPU is read in ticks of 10 ms).
    simCpuMs: simCpu / n,
    // PostgreSQL's backends of the bench's database (NaN on PGlite, which is in Plinth's figure).
    pgCpuMs: pgCpu / n,
    // Statements sent to the database per collection: batched reads and writes carry several.
    statements: sent / n,
    simulatorMs: clients === 1 ? summarize(o.sent.map((t, i) => simulatorMs(t, o.answered[i]!))) : null,
    busy,
    lat: summarize(latencies),
    own: own.length ? summarize(own) : null,
    database: database.length ? summarize(database) : null,
    ownLessDatabase: database.length ? summarize(own.map((ms, i) => ms - database[i]!)) : null,
    steps,
    n,
    errors: o.statuses.filter((s) => s !== 201).length,
  };
}

header(
  `Collections through HTTP, Stripe simulator, ${pg ? 'PostgreSQL' : 'PGlite'}, ${LOANS} loans, ${SECONDS} s per round`,
);
// SQL statements per collection, one client: where the round trips go.
const COUNTED = 50;
statements.reset();
for (let n = 0; n < COUNTED; n++) {
  const loan = loans[n % loans.length]!;
  const r = await collect(
    `/v1/loans/${loan.id}/collections`,
    key,
    { amount: 100, payment_method_id: loan.pm },
    `count-${n}`,
  );
  if (r.status !== 201) throw new Error(`collection: ${r.status} ${JSON.stringify(r.body)}`);
}
console.log(`SQL statements per collection: ${fmt(statements.total() / COUNTED, 1)}`);
for (const [text, n] of statements.top(25)) console.log(`  ${fmt(n / COUNTED, 2)}  ${text}`);
statements.stop();

// The load thread started and warmed (its module loading and JIT are not the measured rounds'), and Plinth's
// serving path warmed at the many-client concurrency.
await round(CLIENTS, 1);
// The bench's tables were empty a moment ago: their statistics as autovacuum keeps a deployment's, so that the
// statements' generic plans (prepared once per connection, re-planned when a table is analyzed) are made for
// tables that hold payments, not for empty ones.
if (pg) await ctx.database.raw.query('ANALYZE');

const one = await round(1, SECONDS);
const many = await round(CLIENTS, SECONDS, false, values.profile);
console.log(
  `1 client:    ${fmt(one.rate, 0)} collections/s  p50 ${fmt(one.lat.p50)} ms  p99 ${fmt(one.lat.p99)} ms  (${one.errors} errors)`,
);
console.log(
  `${CLIENTS} clients:  ${fmt(many.rate, 0)} collections/s  p50 ${fmt(many.lat.p50)} ms  p99 ${fmt(many.lat.p99)} ms  (${many.errors} errors)  target ≥ 500/s`,
);
console.log(`ratio ${CLIENTS} clients / 1 client: ${fmt(many.rate / one.rate)}×`);
const busy = (r: typeof one) =>
  `serving thread busy ${fmt(r.busy.main * 100, 0)}%${r.busy.database === null ? '' : `, database thread busy ${fmt(r.busy.database * 100, 0)}%`}`;
console.log(
  `CPU per collection, Plinth (${pg ? 'PostgreSQL is its own processes' : 'with its PGlite thread'}): 1 client ${fmt(one.cpuMs)} ms (${busy(one)}); ${CLIENTS} clients ${fmt(many.cpuMs)} ms (${busy(many)})`,
);
console.log(
  `CPU per collection, the load generator's thread (not Plinth; ticks of 10 ms): 1 client ${fmt(one.clientCpuMs)} ms; ${CLIENTS} clients ${fmt(many.clientCpuMs)} ms`,
);
console.log(
  `CPU per collection in the simulator's process: 1 client ${fmt(one.simCpuMs)} ms; ${CLIENTS} clients ${fmt(many.simCpuMs)} ms`,
);
if (pg)
  console.log(
    `CPU per collection, PostgreSQL's backends: 1 client ${fmt(one.pgCpuMs)} ms; ${CLIENTS} clients ${fmt(many.pgCpuMs)} ms`,
  );
console.log(
  `statements sent per collection: 1 client ${fmt(one.statements)}; ${CLIENTS} clients ${fmt(many.statements)} (batched reads and writes carry several)`,
);
console.log(
  `Plinth's own time per collection (latency less the simulator's calls as Plinth's HTTP client saw them), 1 client: p50 ${fmt(one.own!.p50)} ms  p99 ${fmt(one.own!.p99)} ms  target p50 ≤ 3 ms (simulator calls p50 ${fmt(one.simulatorMs!.p50)} ms)`,
);
if (one.database)
  console.log(
    `  of which PostgreSQL's round trips (statement sent to answer, commits included) p50 ${fmt(one.database.p50)} ms; the rest p50 ${fmt(one.ownLessDatabase!.p50)} ms`,
  );
if (one.steps)
  console.log(`  step by step, p50 ms: ${one.steps.map((s) => `${s.step} ${fmt(s.p50)}`).join(' → ')}`);

// The same collections against `plinth serve` as deployed, in 1 or more processes (`--serve`): compiled, its own
// processes, their CPU read from /proc.
for (const processes of SERVE) {
  const { one: o, many: m } = await servedRounds({
    env: deployment,
    processes,
    database: new URL(pg!.url).pathname.slice(1),
    tenant: main,
    clients: CLIENTS,
    seconds: SECONDS,
    simCpuMs: remote.cpuMs,
  });
  const label = `plinth serve, ${processes} process${processes > 1 ? 'es' : ''}`;
  console.log(
    `${label}: 1 client ${fmt(o.rate, 0)}/s p50 ${fmt(o.lat.p50)} ms; ${CLIENTS} clients ${fmt(m.rate, 0)} collections/s p50 ${fmt(m.lat.p50)} ms p99 ${fmt(m.lat.p99)} ms (${o.errors + m.errors} errors); ratio ${fmt(m.rate / o.rate)}×`,
  );
  console.log(
    `${label}: CPU per collection at ${CLIENTS} clients: Plinth's processes ${fmt(m.serverCpuMs)} ms, PostgreSQL ${fmt(m.postgresCpuMs)} ms, the simulator ${fmt(m.simCpuMs)} ms (1 client: ${fmt(o.serverCpuMs)} / ${fmt(o.postgresCpuMs)} / ${fmt(o.simCpuMs)} ms)`,
  );
}

// The idempotency scenarios charge at the simulator in this process, whose ledger they read.
const twice = await setupTenant('Bench twice', 16, 30_000, sim);
const capturesBefore = sim.ledger().entries.reduce((n, e) => n + e.captures, 0);
const dup = await round(8, Math.max(2, SECONDS / 2), true, undefined, twice);
const captures = sim.ledger().entries.reduce((n, e) => n + e.captures, 0) - capturesBefore;
console.log(
  `every request sent twice with its Idempotency-Key: ${dup.n} collections, ${captures} captures at the simulator, duplicates ${captures - dup.n + dup.errors}`,
);

// The simulator times out half the captures (it charges, then its answer never comes); the client retries each
// collection with the same Idempotency-Key until it is answered. Nobody may be charged twice.
const flaky = await setupTenant('Bench timeouts', 16, 500, sim);
const timeoutRound = await (async () => {
  const before = sim.ledger().entries.reduce((n, e) => n + e.captures, 0);
  let collections = 0;
  let retries = 0;
  let failed = 0;
  const end = performance.now() + Math.max(2, SECONDS / 2) * 1000;
  const worker = async (c: number) => {
    for (let n = 0; performance.now() < end; n++) {
      const loan = flaky.loans[(c + n * 4) % flaky.loans.length]!;
      const idem = `flaky-${c}-${n}`;
      if (Math.random() < 0.5) sim.dropAnswer({ path: '/v1/payment_intents', how: 'hang', times: 1 });
      let answered = false;
      for (let attempt = 0; attempt < 6 && !answered; attempt++) {
        if (attempt > 0) retries++;
        const r = await collect(
          `/v1/loans/${loan.id}/collections`,
          flaky.key,
          { amount: 100, payment_method_id: loan.pm },
          idem,
        );
        answered = r.status === 201;
      }
      if (answered) collections++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: 4 }, (_, c) => worker(c)));
  sim.clearFaults();
  const after = sim.ledger().entries;
  const captures = after.reduce((n, e) => n + e.captures, 0) - before;
  // A PaymentIntent captured twice, or more PaymentIntents captured than collections sent: a double charge.
  const twice = after.reduce((n, e) => n + Math.max(0, e.captures - 1), 0);
  return { collections, retries, failed, captures, twice };
})();
console.log(
  `half the captures timed out, retried with their Idempotency-Key: ${timeoutRound.collections} collections (${timeoutRound.failed} unanswered after 6 tries, ${timeoutRound.retries} retries), ${timeoutRound.captures} captures at the simulator, duplicates ${Math.max(0, timeoutRound.captures - timeoutRound.collections - timeoutRound.failed) + timeoutRound.twice}`,
);

await clients.close();
await stopCollections();
await app.close();
await ctx.close();
await sim.close();
await remote.close();
await pg?.stop();
