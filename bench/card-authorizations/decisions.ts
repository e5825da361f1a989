/**
 * Card authorization decisions through HTTP, signed like a platform signs them (the generic relay contract),
 * against PostgreSQL with durable commits (synchronous_commit on, fsync on) and against embedded PGlite.
 *
 *   1. one hot line, 64 concurrent clients (closed loop): decisions/s, p50/p99, overspend check
 *   2. 10,000 lines, spread load: throughput with 64 clients, then p50/p99 at a steady 1,000 decisions/s
 *
 * Each figure is measured for the real engine (group commit), for the same engine with group commit off (one
 * message per transaction), and for the naive baseline (SELECT … FOR UPDATE then UPDATE, one transaction per
 * request), all served by the same process; runs alternate and the medians are printed with the ratios.
 *
 * Run: npm run bench -- card-authorizations
 *   BENCH_SECONDS (default 8) per run, BENCH_RUNS (default 3), BENCH_ENGINES=postgres,pglite,
 *   PLINTH_BENCH_DATABASE_URL to use a server instead of a throwaway cluster.
 */
import { eq } from 'drizzle-orm';
import { cardAuthorizationTables as T } from '../../src/modules/card-authorizations/index.js';
import { fmt, header, rssMb, summarize } from '../lib/stats.js';
import { type Outcome, runLoad } from './lib/load.js';
import { type Bench, type Holder, postgresUrl, seedHolders, startBench } from './lib/setup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
const HOT_LIMIT = 25_000_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Figures {
  rate: number;
  p50: number;
  p99: number;
  fallbacks: number;
  errors: number;
}

function figures(o: Outcome): Figures {
  const s = summarize(o.latenciesMs);
  return { rate: o.decisions / o.seconds, p50: s.p50, p99: s.p99, fallbacks: o.fallbacks, errors: o.errors };
}

async function hotLine(b: Bench, hot: Holder): Promise<Map<string, Figures[]>> {
  const db = b.ctx.database.db;
  const out = new Map<string, Figures[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const v of b.variants) {
      await db
        .update(T.expenseTrackers)
        .set({ creditsLimit: HOT_LIMIT, expensedCredits: 0 })
        .where(eq(T.expenseTrackers.lineOfCreditId, hot.lineId));
      const o = await runLoad({
        mode: 'closed',
        origin: v.origin,
        path: b.relayPath,
        seconds: SECONDS,
        concurrency: 64,
        cards: [hot.cardId],
      });
      await waitIdle(b);
      const [t] = await db
        .select()
        .from(T.expenseTrackers)
        .where(eq(T.expenseTrackers.lineOfCreditId, hot.lineId));
      // What the clients were told must be exactly what is booked, and never more than the limit.
      const booked = t!.expensedCredits;
      const ok = booked <= t!.creditsLimit && booked === o.approvedAmount;
      console.log(
        `  hot line  ${v.name.padEnd(17)} ${fmt(o.decisions / o.seconds, 0).padStart(6)} decisions/s  ` +
          `approved ${o.approved}/${o.decisions}  booked ${booked} = told ${o.approvedAmount}: ${ok ? 'ok' : 'MISMATCH'}` +
          `${o.fallbacks ? `  fallbacks ${o.fallbacks}` : ''}${o.errors ? `  errors ${o.errors}` : ''}`,
      );
      if (!ok) process.exitCode = 1;
      out.set(v.name, [...(out.get(v.name) ?? []), figures(o)]);
    }
  }
  return out;
}

async function spread(
  b: Bench,
  holders: Holder[],
): Promise<{ thr: Map<string, Figures[]>; paced: Map<string, Figures[]> }> {
  const thr = new Map<string, Figures[]>();
  const paced = new Map<string, Figures[]>();
  const cards = holders.map((h) => h.cardId);
  const load = (
    v: { origin: string },
    mode: 'closed' | 'open',
    concurrency: number,
    seconds = SECONDS,
    sequential = false,
  ) => runLoad({ mode, origin: v.origin, path: b.relayPath, seconds, concurrency, cards, sequential });
  for (const v of b.variants) {
    // Warm the card directory: the figures are for a steady state, not for the first sight of each card.
    await load(v, 'open', 2000, cards.length / 2000, true);
  }
  for (let run = 0; run < RUNS; run++) {
    for (const v of b.variants) {
      const t = await load(v, 'closed', 64);
      await waitIdle(b);
      const p = await load(v, 'open', 1000);
      await waitIdle(b);
      console.log(
        `  spread    ${v.name.padEnd(17)} ${fmt(t.decisions / t.seconds, 0).padStart(6)} decisions/s;  ` +
          `at 1,000/s p50 ${fmt(summarize(p.latenciesMs).p50)} ms  p99 ${fmt(summarize(p.latenciesMs).p99)} ms` +
          `${p.errors + t.errors ? `  errors ${p.errors + t.errors}` : ''}`,
      );
      thr.set(v.name, [...(thr.get(v.name) ?? []), figures(t)]);
      paced.set(v.name, [...(paced.get(v.name) ?? []), figures(p)]);
    }
  }
  return { thr, paced };
}

async function waitIdle(b: Bench) {
  while (b.variants.some((v) => v.module.commit.backlog > 0)) await new Promise((r) => setTimeout(r, 20));
}

function report(title: string, m: Map<string, Figures[]>, key: 'rate' | 'p99') {
  const med = new Map([...m].map(([name, fs]) => [name, median(fs.map((f) => f[key]))]));
  const base = med.get('naive FOR UPDATE')!;
  const plain = med.get('no group commit')!;
  const mine = med.get('group commit')!;
  const unit = key === 'rate' ? 'decisions/s' : 'ms p99';
  const ratio = (x: number, y: number) => (key === 'rate' ? x / y : y / x);
  console.log(
    `${title}: group commit ${fmt(mine, key === 'rate' ? 0 : 2)} ${unit} | no group commit ${fmt(plain, key === 'rate' ? 0 : 2)} | ` +
      `naive ${fmt(base, key === 'rate' ? 0 : 2)}  →  ${fmt(ratio(mine, base), 1)}x naive, ${fmt(ratio(mine, plain), 1)}x without group commit`,
  );
}

for (const engine of ENGINES) {
  header(
    `card authorizations on ${engine === 'postgres' ? 'PostgreSQL (synchronous_commit on)' : 'PGlite (in process)'}`,
  );
  const pg = engine === 'postgres' ? await postgresUrl() : undefined;
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
    report('  one hot line, 64 clients      ', hotFigures, 'rate');
    report('  10,000 lines, 64 clients      ', thr, 'rate');
    report('  10,000 lines, 1,000/s paced   ', paced, 'p99');
    const p50 = median(paced.get('group commit')!.map((f) => f.p50));
    console.log(`  (group commit at 1,000/s: p50 ${fmt(p50)} ms; targets: hot line ≥ 5,000/s, p99 ≤ 25 ms)`);
  } finally {
    await b.close();
    await pg?.stop();
  }
}
