import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accountsOf, bankFile, fileImportLender, get, importFile } from './helpers.js';

/** What an imported statement says and does not say: balances, positions, the institution's own statuses. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const spend = [{ type: 'POS', posted: '20240410', amount: '-12.00', fitId: 'X-1', name: 'CAFE' }];

interface SnapshotJson {
  source: string;
  balance: number | null;
  as_of: string;
}

describe('POST /v1/imports: a statement without a balance', () => {
  it('writes no balance snapshot and leaves the account balance unknown, never stamped with the import time', async () => {
    const l = await fileImportLender(t, 'No balance');
    const r = await importFile(t, l, bankFile(spend, { ledger: undefined }));
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ transactions_imported: 1, balance_snapshots: 0 });
    const [account] = await accountsOf(t, l);
    expect(account).toMatchObject({ balance: null, balance_as_of: null });
    const snapshots = await get<{ data: SnapshotJson[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/balance-snapshots`,
    );
    expect(snapshots.data).toEqual([]);

    // The statement of April, imported afterwards, sets the balance: nothing newer is known.
    await importFile(t, l, bankFile(spend, { balance: '250.00', asOf: '20240430120000' }));
    const [after] = await accountsOf(t, l);
    expect(after).toMatchObject({ balance: 25000, balance_as_of: '2024-04-30T12:00:00.000Z' });
  });

  it('does not erase a known balance when a later file has none', async () => {
    const l = await fileImportLender(t, 'Balance kept');
    await importFile(t, l, bankFile(spend, { balance: '250.00', asOf: '20240430120000' }));
    const r = await importFile(t, l, bankFile(spend, { ledger: undefined }));
    expect(r.json()).toMatchObject({ balance_snapshots: 0 });
    const [account] = await accountsOf(t, l);
    expect(account).toMatchObject({ balance: 25000, balance_as_of: '2024-04-30T12:00:00.000Z' });
    const snapshots = await get<{ data: SnapshotJson[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/balance-snapshots`,
    );
    expect(snapshots.data.map((s) => [s.balance, s.as_of])).toEqual([[25000, '2024-04-30T12:00:00.000Z']]);
  });
});
