/**
 * Event-loop stalls during a large statement import:
 * `npx tsx bench/ofx/event-loop.ts [--megabytes 50] [--engines postgres,pglite] [--runs 1]`.
 *
 * Uploads one generated four-account OFX file (SGML, Windows-1252) to `POST /v1/imports` on a listening server, and
 * records the event loop's delay meanwhile (`perf_hooks.monitorEventLoopDelay`): its maximum is the longest time the
 * server could not answer anything else (a card authorization, /healthz). Two file-import providers take turns on
 * the same server, each importing into a fresh customer, so both do the same work:
 *
 * - baseline: the file parsed on the event loop, as imports did before (`chase_file` built with `parseInThread`);
 * - worker: the shipped `chase_file`, which parses in a worker thread.
 *
 * Prints, per engine, each mode's longest stall, its p99 delay and the import time, and the ratio worker / baseline
 * of the longest stall. On embedded PGlite the database itself runs on the event loop, so its queries stall the
 * loop whatever the parser does; the parser's share is what the figures on PostgreSQL show.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeOfx } from '../../sandbox/bank-files/write-ofx.js';
import { createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { createLogger } from '../../src/kernel/logging.js';
import { benchPostgres } from '../lib/postgres.js';
import { header } from '../lib/stats.js';
import { generateDocument } from './lib/generate.js';
import { inThreadProvider, statementFile } from './lib/in-thread.js';

const MB = 1_000_000;

interface Measured {
  seconds: number;
  maxStallMs: number;
  p99Ms: number;
}

async function runEngine(url: string, file: Buffer, transactions: number, runs: number, modes: string[]) {
  const config = loadConfig({
    DATABASE_URL: url,
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    PLINTH_DATA_DIR: '/tmp/plinth-bench-unused',
    PLINTH_UPLOAD_LIMIT_BYTES: String(file.length + MB),
    LOG_LEVEL: 'warn',
  });
  const ctx = await createContext({
    config,
    logger: createLogger('warn'),
    extraProviders: [inThreadProvider],
  });
  const app = await buildApp(ctx);
  try {
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    const { tenant, apiKey } = await ctx.tenancy.tenants.createTenant({ name: 'Bench' }, 'cli');
    const scope = { tenantId: tenant.id, actor: { type: 'system' as const, id: null } };
    for (const key of ['chase_file', inThreadProvider.key]) {
      const configured = await ctx.providerConfigs.create(scope, {
        label: key,
        serviceType: 'financial_data',
        providerKey: key,
        config: {},
      });
      if (!configured.ok) throw new Error(configured.error.message);
    }
    const upload = async (provider: string, bytes: Buffer): Promise<number> => {
      const customer = await ctx.tenancy.customers.create(scope, { legalName: 'Bench Borrower' });
      if (!customer.ok) throw new Error(customer.error.message);
      const form = new FormData();
      form.set('customer_id', customer.value.id);
      form.set('provider', provider);
      form.set('file', new Blob([bytes], { type: 'application/x-ofx' }), 'statement.ofx');
      const r = await fetch(`${origin}/v1/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}` },
        body: form,
      });
      const body = (await r.json()) as { transactions_imported?: number; detail?: string };
      if (r.status !== 201) throw new Error(`${provider}: ${r.status} ${body.detail}`);
      return body.transactions_imported ?? 0;
    };
    const measure = async (provider: string): Promise<Measured> => {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const t0 = performance.now();
      const imported = await upload(provider, file);
      const seconds = (performance.now() - t0) / 1000;
      delay.disable();
      if (imported !== transactions) throw new Error(`${provider}: imported ${imported} of ${transactions}`);
      return { seconds, maxStallMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 };
    };
    // Warm-up: a small file through both, so neither measured run pays for starting a worker or compiling code.
    const small = Buffer.from(writeOfx(generateDocument(2_000), { dialect: 'sgml' }), 'latin1');
    for (const provider of ['chase_file', inThreadProvider.key]) await upload(provider, small);

    const results: { baseline: Measured[]; worker: Measured[] } = { baseline: [], worker: [] };
    for (let i = 0; i < runs; i++) {
      if (modes.includes('baseline')) results.baseline.push(await measure(inThreadProvider.key));
      if (modes.includes('worker')) results.worker.push(await measure('chase_file'));
    }
    return { kind: ctx.database.kind, ...results };
  } finally {
    await app.close();
    await ctx.close();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

function report(label: string, runs: Measured[]): number {
  const stall = median(runs.map((r) => r.maxStallMs));
  console.log(
    `  ${label.padEnd(34)} longest stall ${stall.toFixed(0).padStart(6)} ms   p99 delay ${median(
      runs.map((r) => r.p99Ms),
    )
      .toFixed(0)
      .padStart(5)} ms   import ${median(runs.map((r) => r.seconds)).toFixed(1)} s` +
      (runs.length > 1 ? `   (stalls: ${runs.map((r) => r.maxStallMs.toFixed(0)).join(', ')} ms)` : ''),
  );
  return stall;
}

async function main() {
  const { values } = parseArgs({
    options: {
      megabytes: { type: 'string', default: '50' },
      engines: { type: 'string', default: 'postgres,pglite' },
      runs: { type: 'string', default: '1' },
      modes: { type: 'string', default: 'baseline,worker' },
    },
  });
  const runs = Number(values.runs);
  const { bytes, transactions } = statementFile(Number(values.megabytes));
  header(
    `OFX import, event-loop stalls: ${(bytes.length / MB).toFixed(1)} MB, ${transactions.toLocaleString('en-US')} transactions, 4 accounts`,
  );
  console.log(`runs: ${runs} per mode (median shown); monitorEventLoopDelay resolution 10 ms`);
  for (const engine of values.engines.split(',')) {
    let url = 'memory';
    let stop = async () => {};
    if (engine === 'postgres') {
      try {
        ({ url, stop } = await benchPostgres());
      } catch (e) {
        console.log(`\npostgres: not available (${String(e).split('\n')[0]})`);
        continue;
      }
    }
    try {
      const r = await runEngine(url, bytes, transactions, runs, values.modes.split(','));
      console.log(`\n${r.kind}:`);
      const baseline = r.baseline.length ? report('baseline: parsed on the event loop', r.baseline) : NaN;
      const worker = r.worker.length ? report('worker: parsed in a worker thread', r.worker) : NaN;
      if (baseline && worker)
        console.log(`  ratio longest stall worker / baseline: ${(worker / baseline).toFixed(2)}`);
    } finally {
      await stop();
    }
  }
}

await main();
