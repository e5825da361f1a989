/**
 * Card authorization decisions through HTTP, signed like a platform signs them (the generic relay contract),
 * against PostgreSQL with durable commits (synchronous_commit on, fsync on) and against embedded PGlite.
 *
 *   1. one hot line, 64 concurrent clients (closed loop): decisions/s, and what the clients were told approved
 *      must equal what is booked, never above the limit (the limit runs out during the run);
 *   2. 10,000 lines, spread load: throughput with 64 clients, then latency at a steady 1,000 decisions/s
 *      (open loop, measured from when each request was due).
 *
 * Each figure is measured for the real engine (group commit), for the same engine with group commit off (one
 * message per transaction, same SQL), and for the naive baseline (SELECT … FOR UPDATE then UPDATE, one
 * transaction per request), all served by this process on three ports; each engine first serves WARM_UP seconds
 * of unmeasured traffic, then runs alternate, medians are printed with the ratios, and CPU per decision (Plinth:
 * this process less the load generator's thread; and PostgreSQL's backends when local) beside them. The load
 * generator runs in one worker thread kept for the whole bench, as the platform is not on Plinth's machine, and
 * uses a minimal keep-alive HTTP/1.1 client (bench/lib/http.ts) and signs each run's authorizations just before
 * the run: on 2 cores, the CPU the client spends is taken from the server it measures.
 *
 * Run: npm run bench -- card-authorizations
 *   BENCH_SECONDS (default 8) per run, BENCH_RUNS (default 3), BENCH_ENGINES (default postgres,pglite),
 *   PLINTH_BENCH_DATABASE_URL to use a PostgreSQL server instead of a throwaway local cluster.
 */
import { eq } from 'drizzle-orm';
import * as T from '../../src/modules/card-authorizations/tables.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt, header, rssMb, summarize } from '../lib/stats.js';
import { cpuPerDecision, cpuSample } from './lib/cpu.js';
import { type Outcome, runLoad, stopLoad } from './lib/load.js';
import { type Bench, type Holder, seedHolders, startBench, type Variant } from './lib/setup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
/** Seconds of unmeasured traffic through each engine before its first measured run. */
const WARM_UP = 3;
/** Amounts average 1,050: the hot line's limit runs out after ~24,000 approvals, then the rest is declined. */
const HOT_LIMIT = 25_000_000;

interface Figures {
  rate: number;
  p50: number;
  p99: number;
  plinthCpu: number;
  pgCpu: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const add = (m: Map<string, Figures[]>, name: string, f: Figures) => m.set(name, [...(m.get(name) ?? []), f]);

async function measure(b: Bench, run: () => Promise<Outcome>): Promise<{ o: Outcome; f: Figures }> {
  // Each run starts from a checkpoint: the pages the run before dirtied (another engine's, often) are written out
  // first, instead of by a checkpoint landing inside this run.
  if (b.ctx.database.kind === 'postgres') await b.ctx.database.raw.query('CHECKPOINT');
  const before = await cpuSample(b.ctx.database);
  const o = await run();
  await waitIdle(b);
  const cpu = cpuPerDecision(before, await cpuSample(b.ctx.database), o.decisions);
  // The process's CPU less the load generator's thread: what Plinth itself spent.
  const plinthCpu = cpu.plinth - ((o.clientCpuMs ?? 0) * 1000) / o.decisions;
  const s = summarize(o.latenciesMs);
  return {
    o,
    f: { rate: o.decisions / o.seconds, p50: s.p50, p99: s.p99, plinthCpu, pgCpu: cpu.postgres },
  };
}

async function hotLine(b: Bench, hot: Holder): Promise<Map<string, Figures[]>> {
  const db = b.ctx.database.db;
  const out = new Map<string, Figures[]>();
  // Not measured: the first seconds of a process compile its hot paths (and the platform's client's).
  for (const v of b.variants)
    await runLoad({
      mode: 'closed',
      origin: v.origin,
      path: b.relayPath,
      seconds: WARM_UP,
      concurrency: 64,
      cards: [hot.cardId],
    });
  for (let run = 0; run < RUNS; run++) {
    for (const v of b.variants) {
      await db
        .update(T.expenseTrackers)
        .set({ creditsLimit: HOT_LIMIT, expensedCredits: 0 })
        .where(eq(T.expenseTrackers.lineOfCreditId, hot.lineId));
      const { o, f } = await measure(b, () =>
        runLoad({
          mode: 'closed',
          origin: v.origin,
          path: b.relayPath,
          seconds: SECONDS,
          concurrency: 64,
          cards: [hot.cardId],
        }),
      );
      const [t] = await db
        .select()
        .from(T.expenseTrackers)
        .where(eq(T.expenseTrackers.lineOfCreditId, hot.lineId));
      // What the clients were told must be exactly what is booked, and never more than the limit.
      const booked = t!.expensedCredits;
      const ok = booked <= t!.creditsLimit && booked === o.approvedAmount && o.errors === 0;
      console.log(
        `  hot line  ${v.name.padEnd(17)} ${fmt(f.rate, 0).padStart(6)} decisions/s  p99 ${fmt(f.p99, 1).padStart(6)} ms  ` +
          `approved ${o.approved}/${o.decisions}  booked ${booked} = told ${o.approvedAmount} ≤ limit: ${ok ? 'ok' : 'MISMATCH'}` +
          `${o.fallbacks ? `  fallbacks ${o.fallbacks}` : ''}${o.errors ? `  errors ${o.errors}` : ''}`,
      );
      if (!ok) process.exitCode = 1;
      add(out, v.name, f);
    }
  }
  return out;
}

/** Loads every card and its owner's lines into each engine's cache: the figures are for a steady state. */
async function warm(b: Bench, v: Variant, holders: Holder[]) {
  const d = v.module.directory;
  for (let i = 0; i < holders.length; i += 200)
    await Promise.all(
      holders.slice(i, i + 200).map(async (h) => {
        const owner = await d.card(b.tenantId, h.cardId);
        if (owner) await d.ownerLines(b.tenantId, owner.ownerType, owner.ownerRef);
      }),
    );
}

async function spread(b: Bench, holders: Holder[]) {
  const thr = new Map<string, Figures[]>();
  const paced = new Map<string, Figures[]>();
  const cards = holders.map((h) => h.cardId);
  for (const v of b.variants) await warm(b, v, holders);
  for (let run = 0; run < RUNS; run++) {
    for (const v of b.variants) {
      const load = (mode: 'closed' | 'open', concurrency: number) => () =>
        runLoad({ mode, origin: v.origin, path: b.relayPath, seconds: SECONDS, concurrency, cards });
      const t = await measure(b, load('closed', 64));
      const p = await measure(b, load('open', 1000));
      console.log(
        `  spread    ${v.name.padEnd(17)} ${fmt(t.f.rate, 0).padStart(6)} decisions/s;  at 1,000/s p50 ${fmt(p.f.p50)} ms  ` +
          `p99 ${fmt(p.f.p99)} ms${p.o.errors + t.o.errors ? `  errors ${p.o.errors + t.o.errors}` : ''}`,
      );
      add(thr, v.name, t.f);
      add(paced, v.name, p.f);
    }
  }
  return { thr, paced };
}

async function waitIdle(b: Bench) {
  while (b.variants.some((v) => v.module.engine.inFlight + v.module.commit.backlog > 0))
    await new Promise((r) => setTimeout(r, 20));
}

function report(title: string, m: Map<string, Figures[]>, key: 'rate' | 'p99') {
  const med = (name: string, k: keyof Figures) => {
    const xs = (m.get(name) ?? []).map((f) => f[k]).filter((x): x is number => x !== null);
    return xs.length ? median(xs) : Number.NaN;
  };
  const [mine, plain, base] = ['group commit', 'no group commit', 'naive FOR UPDATE'].map((n) =>
    med(n, key),
  ) as [number, number, number];
  const digits = key === 'rate' ? 0 : 1;
  const unit = key === 'rate' ? 'decisions/s' : 'ms p99';
  const better = (x: number, y: number) => (key === 'rate' ? x / y : y / x);
  const cpu = (n: string) =>
    `${fmt(med(n, 'plinthCpu'), 0)}${Number.isNaN(med(n, 'pgCpu')) ? '' : `+${fmt(med(n, 'pgCpu'), 0)}`}`;
  console.log(
    `${title} group commit ${fmt(mine, digits)} ${unit} | no group commit ${fmt(plain, digits)} | naive ${fmt(base, digits)}` +
      `  →  ${fmt(better(mine, base), 1)}x naive, ${fmt(better(mine, plain), 1)}x without group commit`,
  );
  console.log(
    `${' '.repeat(title.length)} CPU µs per decision (Plinth, without the load generator${Number.isNaN(med('group commit', 'pgCpu')) ? '' : ' + PostgreSQL'}): ` +
      `group commit ${cpu('group commit')} | no group commit ${cpu('no group commit')} | naive ${cpu('naive FOR UPDATE')}`,
  );
}

for (const engine of ENGINES) {
  header(
    `card authorizations on ${engine === 'postgres' ? 'PostgreSQL (synchronous_commit on)' : 'PGlite (in process)'}`,
  );
  const pg = engine === 'postgres' ? await benchPostgres() : undefined;
  const b = await startBench(pg?.url ?? 'memory');
  try {
    if (pg) {
      const [s] = (
        await b.ctx.database.raw.query<{ synchronous_commit: string; fsync: string }>(
          "SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync",
        )
      ).rows;
      console.log(`  synchronous_commit=${s!.synchronous_commit} fsync=${s!.fsync}`);
    }
    const [hot] = await seedHolders(b, 1, HOT_LIMIT);
    const hotFigures = await hotLine(b, hot!);
    const holders = await seedHolders(b, 10_000, 1_000_000_000);
    const { thr, paced } = await spread(b, holders);
    console.log(`medians of ${RUNS} runs of ${SECONDS} s (RSS ${fmt(rssMb(), 0)} MB):`);
    report('  one hot line, 64 clients:   ', hotFigures, 'rate');
    report('  10,000 lines, 64 clients:   ', thr, 'rate');
    report('  10,000 lines, 1,000/s paced:', paced, 'p99');
    const p50 = median(paced.get('group commit')!.map((f) => f.p50));
    console.log(
      `  (group commit at 1,000/s: p50 ${fmt(p50)} ms; targets: hot line ≥ 5,000/s, p99 ≤ 25 ms at 1,000/s)`,
    );
  } finally {
    await b.close();
    await pg?.stop();
  }
}
await stopLoad();
