import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransactionSpec } from '../../sandbox/bank-files/write-ofx.js';
import { type Db, rows } from '../../src/kernel/db.js';
import { ImportService, type ImportServiceDeps } from '../../src/modules/aggregation/imports/service.js';
import { sweepImports } from '../../src/modules/aggregation/imports/staging.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  accountsOf,
  bankFile,
  fileImportLender,
  importFile,
  type Lender,
  transactionsOf,
} from './helpers.js';

// A file import stages its rows in short transactions (so embedded PGlite's one connection is free between them)
// and publishes them with one row: no reader sees them before, and an import that fails or dies leaves nothing.

let t: TestApp;
let db: Db;
beforeAll(async () => {
  t = await startTestApp();
  db = t.ctx.database.db;
});
afterAll(() => t.close());

// 10,000 transactions: the first transaction, five chunks of 2,000, and the publishing transaction.
const file = Buffer.from(
  bankFile(
    Array.from(
      { length: 10_000 },
      (_, i): TransactionSpec => ({
        type: 'DEBIT',
        posted: `202404${String((i % 28) + 1).padStart(2, '0')}`,
        amount: `-${(i % 300) + 1}.10`,
        fitId: `S${i}`,
        name: `Shop ${i % 41}`,
      }),
    ),
  ),
);

/** The app's import service over a database whose `transaction` first awaits `before(n)` (n counts from 1). */
function importsWith(before: (n: number) => Promise<void>): ImportService {
  const deps = (t.ctx.aggregation.imports as unknown as { deps: ImportServiceDeps }).deps;
  let n = 0;
  const hooked = new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction')
        return async (...args: Parameters<Db['transaction']>) => {
          await before(++n);
          return target.transaction(...args);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return new ImportService({ ...deps, db: hooked });
}

const run = (service: ImportService, l: Lender) =>
  service.importFile(
    { tenantId: l.id, actor: { type: 'system', id: null } },
    { customerId: l.customerId, fileName: 'big.ofx', bytes: file },
  );

/** Every row the tenant has in the tables an import writes, visible or not. */
async function stored(tenantId: string) {
  const [r] = await rows<Record<string, string | number>>(
    db,
    sql`SELECT (SELECT count(*) FROM financial_transactions WHERE tenant_id = ${tenantId}) AS transactions,
               (SELECT count(*) FROM financial_imports WHERE tenant_id = ${tenantId}) AS imports,
               (SELECT count(*) FROM financial_accounts WHERE tenant_id = ${tenantId}) AS accounts,
               (SELECT count(*) FROM financial_connections WHERE tenant_id = ${tenantId}) AS connections`,
  );
  return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
}

/** A gate a hooked transaction waits at until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let reached!: () => void;
  const arrived = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const wait = () => {
    reached();
    return opened;
  };
  return { open, arrived, wait };
}

const ageHeartbeats = (tenantId: string) =>
  db.execute(sql`UPDATE financial_imports SET heartbeat_at = now() - interval '10 minutes'
                  WHERE tenant_id = ${tenantId} AND status = 'staging'`);

describe('a staged import', () => {
  it('writes in short transactions, and no reader sees its rows until it publishes', async () => {
    const l = await fileImportLender(t, 'Staged');
    let midway: { accounts: number; stored: number } | undefined;
    let transactions = 0;
    const service = importsWith(async (n) => {
      transactions = n;
      if (n !== 4) return;
      midway = {
        accounts: (await accountsOf(t, l)).length,
        stored: (await stored(l.id)).transactions!,
      };
    });
    const r = await run(service, l);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.transactionsImported).toBe(10_000);
    // Two chunks (4,000 rows) are stored, and neither they nor the account the import created are visible.
    expect(midway).toEqual({ accounts: 0, stored: 4_000 });
    expect(transactions).toBe(7);
    const [account] = await accountsOf(t, l);
    expect(await transactionsOf(t, l, account!.id)).toHaveLength(1000);
    const cashFlow = await t.call('GET', `/v1/customers/${l.customerId}/cash-flow`, { key: l.key });
    expect(cashFlow.statusCode).toBe(200);
  }, 120_000);

  it('that fails half way leaves nothing behind, and the file imports again', async () => {
    const l = await fileImportLender(t, 'Fails');
    const failing = importsWith(async (n) => {
      if (n === 5) throw new Error('the disk is full');
    });
    await expect(run(failing, l)).rejects.toThrow('the disk is full');
    expect(await stored(l.id)).toEqual({ transactions: 0, imports: 0, accounts: 0, connections: 0 });
    const again = await importFile(t, l, file);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ transactions_imported: 10_000, transactions_skipped: 0 });
  }, 120_000);

  it('whose process died is taken over by the next import of its account', async () => {
    const l = await fileImportLender(t, 'Died');
    const stuck = gate();
    const dying = run(
      importsWith((n) => (n === 4 ? stuck.wait() : Promise.resolve())),
      l,
    );
    await stuck.arrived;
    // Its process is gone as far as anyone can tell: no heartbeat for ten minutes.
    await ageHeartbeats(l.id);
    const next = await importFile(t, l, file);
    expect(next.statusCode).toBe(201);
    expect(next.json()).toMatchObject({ transactions_imported: 10_000, transactions_skipped: 0 });
    // The old import wakes up: its next chunk finds it was taken back, and it stops without touching the new rows.
    stuck.open();
    const late = await dying;
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error.code).toBe('import_taken_over');
    expect(await sweepImports(db)).toBe(0);
    expect(await stored(l.id)).toEqual({ transactions: 10_000, imports: 1, accounts: 1, connections: 1 });
  }, 120_000);

  it('whose process died is taken back by the sweep', async () => {
    const l = await fileImportLender(t, 'Swept');
    const stuck = gate();
    const dying = run(
      importsWith((n) => (n === 4 ? stuck.wait() : Promise.resolve())),
      l,
    );
    await stuck.arrived;
    // A live import is left alone.
    expect(await sweepImports(db)).toBe(0);
    expect((await stored(l.id)).transactions).toBe(4_000);
    await ageHeartbeats(l.id);
    expect(await sweepImports(db)).toBe(1);
    expect(await stored(l.id)).toEqual({ transactions: 0, imports: 0, accounts: 0, connections: 0 });
    stuck.open();
    const late = await dying;
    expect(late.ok).toBe(false);
    expect(await stored(l.id)).toEqual({ transactions: 0, imports: 0, accounts: 0, connections: 0 });
  }, 120_000);
});
