/**
 * Card decisions while the same node does long work (issue 16 item 2):
 * `npm run bench -- load/decisions-under-load`.
 *
 * One node serves the generic card relay for one tenant (1,000 cards) while another tenant on it closes business
 * over 1,000 installment loans × 90 days and uploads a 50 MB statement file. A load thread sends authorizations at
 * a steady rate (open loop, latency from when each was due) for BENCH_SECONDS, three times per engine:
 *
 * - idle: nothing else running (the baseline the others are compared with);
 * - before: the work as this node did it before issue 16: the file parsed on the event loop, and close of
 *   business in batches of 20,000 loans (the whole portfolio in one transaction per day);
 * - after: the shipped node: parsing in a worker thread, imports planned and written in slices, close of business
 *   through the job queue in the engine's batch size (200 loans on PGlite, whose one connection a batch holds;
 *   20,000 on PostgreSQL).
 * PGlite runs in its own thread (kernel/pglite-thread.ts) in both windows: "before" no longer shows the serving
 * thread blocked by its statements, only the larger transactions and the parse on the event loop.
 *
 * Prints p50, p99 and the longest decision, how many were answered by the relay's deadline fallback, how many came
 * later than the deadline (1,900 ms) or failed, and how far the work got during the window.
 * BENCH_ENGINES (postgres,pglite), BENCH_SECONDS (30), BENCH_RATE (40 per second), BENCH_LOANS (1000),
 * BENCH_DAYS (90), BENCH_MEGABYTES (50); BENCH_WORK (cob,import) and BENCH_WINDOWS (before,after) run part of it, to
 * see which work costs what.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SYSTEM_ACTOR } from '../../src/kernel/audit.js';
import { addDays } from '../../src/kernel/dates.js';
import { CloseOfBusinessService, closeOfBusinessSteps } from '../../src/modules/lending/index.js';
import { writeAudit } from '../../src/modules/tenancy/index.js';
import { type Outcome, runLoad, stopLoad } from '../card-authorizations/lib/load.js';
import { type Bench, seedHolders, startBench } from '../card-authorizations/lib/setup.js';
import { CLOSE_DAY, seedPortfolio } from '../lending/lib/portfolio.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt, header, summarize } from '../lib/stats.js';
import { inThreadProvider, statementFile } from '../ofx/lib/in-thread.js';

const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RATE = Number(process.env.BENCH_RATE ?? 40);
const LOANS = Number(process.env.BENCH_LOANS ?? 1000);
const DAYS = Number(process.env.BENCH_DAYS ?? 90);
const MEGABYTES = Number(process.env.BENCH_MEGABYTES ?? 50);
const WORK = (process.env.BENCH_WORK ?? 'cob,import').split(',');
const MODES = (process.env.BENCH_WINDOWS ?? 'before,after').split(',') as ('before' | 'after')[];
const DEADLINE_MS = 1900;

interface WorkReport {
  daysClosed: number;
  cobSeconds: number | null;
  importSeconds: number | null;
}

/** Another tenant of the node, with a seeded portfolio and both file-import providers configured. */
async function lender(b: Bench, prefix: string) {
  const { ctx } = b;
  const { tenant, apiKey } = await ctx.tenancy.tenants.createTenant({ name: `Lender ${prefix}` }, 'bench');
  const scope = { tenantId: tenant.id, actor: SYSTEM_ACTOR };
  await seedPortfolio(ctx, tenant.id, LOANS, prefix);
  for (const key of ['chase_file', inThreadProvider.key]) {
    const r = await ctx.providerConfigs.create(scope, {
      label: key,
      serviceType: 'financial_data',
      providerKey: key,
      config: {},
    });
    if (!r.ok) throw new Error(r.error.message);
  }
  const customer = await ctx.tenancy.customers.create(scope, { legalName: 'Statement Holder' });
  if (!customer.ok) throw new Error(customer.error.message);
  return { scope, apiKey, customerId: customer.value.id };
}

/** The long work of one window: close of business through DAYS days and one upload, side by side. */
async function longWork(b: Bench, mode: 'before' | 'after', file: Buffer, prefix: string) {
  const { ctx } = b;
  const l = await lender(b, prefix);
  const cob =
    mode === 'after'
      ? ctx.lending.closeOfBusiness
      : new CloseOfBusinessService({
          db: ctx.database.db,
          logger: ctx.logger,
          audit: writeAudit,
          businessDates: ctx.lending.businessDates,
          steps: closeOfBusinessSteps,
          batchSize: 20_000,
          maxDays: DAYS,
        });
  const through = addDays(CLOSE_DAY, DAYS - 1);
  const report: WorkReport = { daysClosed: 0, cobSeconds: null, importSeconds: null };
  const t0 = performance.now();
  const closing = (async () => {
    if (!WORK.includes('cob')) return;
    const requested = await cob.request(l.scope, through);
    if (!requested.ok) throw new Error(requested.error.message);
    for (;;) {
      const runs = await ctx.lending.closeOfBusiness.runs(l.scope, {
        from: CLOSE_DAY,
        to: through,
        limit: 1000,
      });
      report.daysClosed = runs.filter((r) => r.status === 'completed').length;
      if (report.daysClosed === DAYS) break;
      const failed = runs.find((r) => r.error);
      if (failed) throw new Error(`close of business failed: ${failed.error}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    report.cobSeconds = (performance.now() - t0) / 1000;
  })();
  const importing = (async () => {
    if (!WORK.includes('import')) return;
    const form = new FormData();
    form.set('customer_id', l.customerId);
    form.set('provider', mode === 'after' ? 'chase_file' : inThreadProvider.key);
    form.set('file', new Blob([file], { type: 'application/x-ofx' }), 'statement.ofx');
    const r = await fetch(`${b.variants[0]!.origin}/v1/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${l.apiKey}` },
      body: form,
    });
    if (r.status !== 201) throw new Error(`import: ${r.status} ${await r.text()}`);
    report.importSeconds = (performance.now() - t0) / 1000;
  })();
  return { report, done: Promise.all([closing, importing]) };
}

interface Window {
  label: string;
  o: Outcome;
  /** The serving thread's longest event-loop stall in the window (ms): a stall delays every decision behind it. */
  stallMs: number;
  work?: WorkReport;
}

/** Runs the load while watching the serving thread's event loop. */
async function watched(load: () => Promise<Outcome>): Promise<{ o: Outcome; stallMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const o = await load();
  h.disable();
  return { o, stallMs: h.max / 1e6 };
}

function line(w: Window, idleP99: number): void {
  const s = summarize(w.o.latenciesMs);
  const late = w.o.latenciesMs.filter((ms) => ms > DEADLINE_MS).length;
  const max = w.o.latenciesMs.reduce((a, b) => Math.max(a, b), 0);
  const work = w.work
    ? `  | days closed ${w.work.daysClosed}/${DAYS}${w.work.cobSeconds ? ` in ${fmt(w.work.cobSeconds, 0)} s` : ''}, ` +
      `import ${w.work.importSeconds ? `${fmt(w.work.importSeconds, 0)} s` : 'unfinished'}`
    : '';
  console.log(
    `  ${w.label.padEnd(7)} n ${String(w.o.decisions).padStart(5)}  p50 ${fmt(s.p50, 1).padStart(7)} ms  p99 ${fmt(
      s.p99,
      1,
    ).padStart(7)} ms (${fmt(s.p99 / idleP99, 1)}× idle)  max ${fmt(max, 0).padStart(5)} ms  fallbacks ${
      w.o.fallbacks
    }  late ${late}  errors ${w.o.errors}  loop stall ${fmt(w.stallMs, 0)} ms${work}`,
  );
}

async function runEngine(url: string, file: Buffer): Promise<void> {
  const b = await startBench(url, {
    engines: ['group commit'],
    jobs: true,
    extraProviders: [inThreadProvider],
    env: { PLINTH_UPLOAD_LIMIT_BYTES: String(file.length + 1_000_000) },
  });
  try {
    const cards = (await seedHolders(b, 1000, 1_000_000_000_000)).map((h) => h.cardId);
    const v = b.variants[0]!;
    const load = (seconds: number) =>
      runLoad({ mode: 'open', origin: v.origin, path: b.relayPath, seconds, concurrency: RATE, cards });
    await load(3); // warm-up, not measured
    const windows: Window[] = [{ label: 'idle', ...(await watched(() => load(SECONDS))) }];
    for (const [k, mode] of MODES.entries()) {
      const work = await longWork(b, mode, file, `0000000${k + 1}`);
      const w = await watched(() => load(SECONDS));
      windows.push({ label: mode, ...w, work: { ...work.report } });
      await work.done;
    }
    console.log(`\n${b.ctx.database.kind}:`);
    const idleP99 = summarize(windows[0]!.o.latenciesMs).p99;
    for (const w of windows) line(w, idleP99);
  } finally {
    await b.close();
  }
}

async function main() {
  const { bytes, transactions } = statementFile(MEGABYTES);
  header(
    `Card decisions under long work: ${RATE}/s for ${SECONDS} s; close of business ${LOANS} loans × ${DAYS} days and ` +
      `a ${fmt(bytes.length / 1e6, 0)} MB statement (${transactions.toLocaleString('en-US')} transactions) on another tenant`,
  );
  for (const engine of ENGINES) {
    if (engine === 'postgres') {
      const pg = await benchPostgres();
      try {
        await runEngine(pg.url, bytes);
      } finally {
        await pg.stop();
      }
    } else await runEngine('memory', bytes);
  }
  await stopLoad();
}

await main();
