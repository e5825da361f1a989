/**
 * OFX import benchmark: `npx tsx bench/ofx/import.ts [--transactions 100000] [--engines pglite,postgres]`.
 *
 * Imports one generated four-account OFX file (SGML, Windows-1252) through the import service, on embedded PGlite
 * and on PostgreSQL (PLINTH_BENCH_DATABASE_URL, else a throwaway cluster from scripts/pg-cluster.sh), then imports
 * the same file again. Prints both times, the transactions per second, the ratio re-import / import (the target
 * is ≤ 1/3: a re-import adds nothing), and the ratio against the baseline measured in the same process: parsing
 * the file alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeOfx } from '../../sandbox/bank-files/write-ofx.js';
import { createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { createLogger } from '../../src/kernel/logging.js';
import { parseOfx } from '../../src/modules/aggregation/domain/ofx/index.js';
import { header, rssMb } from '../lib/stats.js';
import { generateDocument } from './lib/generate.js';

const ROOT = join(import.meta.dirname, '../..');
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const rate = (n: number) => Math.round(n).toLocaleString('en-US');

async function importTwice(url: string, file: Buffer, total: number) {
  const config = loadConfig({
    DATABASE_URL: url,
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    PLINTH_DATA_DIR: join(tmpdir(), 'plinth-bench-unused'),
    LOG_LEVEL: 'warn',
  });
  const ctx = await createContext({ config, logger: createLogger('warn') });
  try {
    const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'Bench' }, 'cli');
    const scope = { tenantId: tenant.id, actor: { type: 'system' as const, id: null } };
    const customer = await ctx.tenancy.customers.create(scope, { legalName: 'Bench Borrower' });
    if (!customer.ok) throw new Error(customer.error.message);
    const configured = await ctx.providerConfigs.create(scope, {
      label: 'chase',
      serviceType: 'financial_data',
      providerKey: 'chase_file',
      config: {},
    });
    if (!configured.ok) throw new Error(configured.error.message);
    const run = async () => {
      const t0 = performance.now();
      const r = await ctx.aggregation.imports.importFile(scope, {
        customerId: customer.value.id,
        fileName: 'bench.ofx',
        bytes: file,
      });
      if (!r.ok) throw new Error(r.error.message);
      return { s: seconds(t0), result: r.value };
    };
    const first = await run();
    if (first.result.transactionsImported !== total)
      throw new Error(`imported ${first.result.transactionsImported}, expected ${total}`);
    const second = await run();
    if (second.result.transactionsImported !== 0 || second.result.transactionsSkipped !== total)
      throw new Error(`re-import added ${second.result.transactionsImported} transactions`);
    return { first: first.s, second: second.s, kind: ctx.database.kind };
  } finally {
    await ctx.close();
  }
}

function throwawayCluster(): { url: string; stop: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-pg-'));
  const script = join(ROOT, 'scripts/pg-cluster.sh');
  const url = execFileSync(script, ['start', dir], { encoding: 'utf8' }).trim().split('\n').pop()!;
  return {
    url,
    stop: () => {
      execFileSync(script, ['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      transactions: { type: 'string', default: '100000' },
      engines: { type: 'string', default: 'pglite,postgres' },
    },
  });
  const total = Number(values.transactions);
  header(`OFX import: ${rate(total)} transactions, 4 accounts, one file`);
  const file = Buffer.from(writeOfx(generateDocument(total), { dialect: 'sgml' }), 'latin1');
  const t0 = performance.now();
  const parsed = parseOfx(file);
  const parse = seconds(t0);
  if (!parsed.ok) throw new Error(parsed.error.message);
  console.log(
    `file ${(file.length / 1024 / 1024).toFixed(1)} MB; baseline (parse only): ${parse.toFixed(2)} s`,
  );

  for (const engine of values.engines.split(',')) {
    let url = 'memory';
    let stop = () => {};
    if (engine === 'postgres') {
      const configured = process.env.PLINTH_BENCH_DATABASE_URL;
      if (configured) url = configured;
      else {
        try {
          ({ url, stop } = throwawayCluster());
        } catch (e) {
          console.log(
            `postgres: no PLINTH_BENCH_DATABASE_URL and no local cluster (${String(e).split('\n')[0]})`,
          );
          continue;
        }
      }
    }
    try {
      const r = await importTwice(url, file, total);
      console.log(`\n${r.kind}:`);
      console.log(
        `  import     ${r.first.toFixed(2)} s  (${rate(total / r.first)} tx/s; ${(r.first / parse).toFixed(1)}x the parse)`,
      );
      console.log(`  re-import  ${r.second.toFixed(2)} s  (adds nothing)`);
      console.log(`  ratio re-import / import: ${(r.second / r.first).toFixed(2)} (target ≤ 0.33)`);
      console.log(`  RSS ${rssMb().toFixed(0)} MB`);
    } finally {
      stop();
    }
  }
}

await main();
