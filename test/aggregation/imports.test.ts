import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  accountsOf,
  bankFile,
  fileImportLender,
  get,
  importFile,
  type Lender,
  transactionsOf,
} from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../../src/modules/aggregation/domain/ofx/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

let t: TestApp;
let acme: Lender;

beforeAll(async () => {
  t = await startTestApp();
  acme = await fileImportLender(t, 'Acme');
});
afterAll(() => t.close());

describe('POST /v1/imports', () => {
  it('imports every account of a file, with a file_import balance snapshot for each', async () => {
    const r = await importFile(t, acme, fixture('multi-account.ofx'));
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      provider_slug: 'chase_file',
      customer_id: acme.customerId,
      file_format: 'ofx',
      statements: 3,
      accounts_imported: 3,
      accounts_updated: 0,
      transactions_imported: 4,
      transactions_skipped: 0,
      balance_snapshots: 3,
    });
    const accounts = await accountsOf(t, acme);
    expect(accounts.map((a) => a.account_type).sort()).toEqual(['checking', 'credit_card', 'savings']);
    const card = accounts.find((a) => a.account_type === 'credit_card')!;
    expect(card).toMatchObject({ balance: -1999, name: 'Credit card ****0004' });
    // A keyed pseudonym: not the parser's plain hash of the card number.
    expect(card.provider_account_id).toMatch(/^ofx_[0-9a-f]{32}$/);
    const snapshots = await get<{ data: { source: string; balance: number }[] }>(
      t,
      acme,
      `/v1/accounts/${card.id}/balance-snapshots`,
    );
    expect(snapshots.data).toEqual([expect.objectContaining({ source: 'file_import', balance: -1999 })]);
  });

  it('re-importing the same file adds nothing but a snapshot per account', async () => {
    const before = await accountsOf(t, acme);
    const r = await importFile(t, acme, fixture('multi-account.ofx'));
    expect(r.json()).toMatchObject({
      accounts_imported: 0,
      accounts_updated: 3,
      transactions_imported: 0,
      transactions_skipped: 4,
      balance_snapshots: 3,
    });
    expect((await accountsOf(t, acme)).map((a) => a.id)).toEqual(before.map((a) => a.id));
    for (const a of before) {
      const snaps = await get<{ data: unknown[] }>(t, acme, `/v1/accounts/${a.id}/balance-snapshots`);
      expect(snaps.data).toHaveLength(2);
    }
  });

  it('keeps a reused FITID with a different amount beside the first, and flags both', async () => {
    const l = await fileImportLender(t, 'Reuse');
    const first = bankFile([{ type: 'FEE', posted: '20240405', amount: '-5.00', fitId: 'F-1', name: 'FEE' }]);
    await importFile(t, l, first);
    const second = bankFile([
      { type: 'FEE', posted: '20240405', amount: '-5.00', fitId: 'F-1', name: 'FEE' },
      { type: 'CREDIT', posted: '20240406', amount: '5.00', fitId: 'F-1', name: 'REWARD' },
    ]);
    const r = await importFile(t, l, second);
    expect(r.json()).toMatchObject({
      transactions_imported: 1,
      transactions_skipped: 1,
      transactions_flagged: 1,
    });
    const [account] = await accountsOf(t, l);
    const txns = await transactionsOf(t, l, account!.id);
    expect(txns).toHaveLength(2);
    expect(txns.every((x) => x.needs_review && x.review_reason === 'fitid_conflict')).toBe(true);
    expect(txns.map((x) => x.variant).sort()).toEqual([0, 1]);
    const flagged = await get<{ data: unknown[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/transactions?needs_review=true`,
    );
    expect(flagged.data).toHaveLength(2);
    // Importing the second file again changes nothing.
    expect((await importFile(t, l, second)).json()).toMatchObject({
      transactions_imported: 0,
      transactions_skipped: 2,
    });
  });

  it('deduplicates within an account, never across accounts', async () => {
    const l = await fileImportLender(t, 'Accounts');
    const txn = { type: 'POS', posted: '20240410', amount: '-12.00', fitId: 'SAME-1', name: 'CAFE' };
    await importFile(t, l, bankFile([txn], { accountId: '111' }));
    const r = await importFile(t, l, bankFile([txn], { accountId: '222' }));
    expect(r.json()).toMatchObject({
      accounts_imported: 1,
      transactions_imported: 1,
      transactions_skipped: 0,
    });
    for (const a of await accountsOf(t, l)) expect(await transactionsOf(t, l, a.id)).toHaveLength(1);
  });

  it('a held amount that posts under its FITID becomes settled in place', async () => {
    const l = await fileImportLender(t, 'Hold');
    const hold = { type: 'HOLD', posted: '20240428', amount: '-75.00', fitId: 'H-1', name: 'DEPOSIT HOLD' };
    await importFile(t, l, bankFile([hold], { end: '20240428', asOf: '20240428120000' }));
    const [account] = await accountsOf(t, l);
    expect((await transactionsOf(t, l, account!.id))[0]).toMatchObject({ status: 'pending', amount: -7500 });
    const posted = { ...hold, type: 'DEBIT', posted: '20240429', amount: '-80.00' };
    const r = await importFile(t, l, bankFile([posted], { end: '20240430' }));
    expect(r.json()).toMatchObject({ transactions_imported: 0, transactions_updated: 1 });
    const txns = await transactionsOf(t, l, account!.id);
    expect(txns).toHaveLength(1);
    expect(txns[0]).toMatchObject({ status: 'settled', amount: -8000, transaction_date: '2024-04-29' });
  });

  it('a pending item (BANKTRANLISTP) posted under a new FITID is replaced, with a link; a vanished one is cancelled', async () => {
    const l = await fileImportLender(t, 'Pending');
    const pendingList = (items: string) =>
      bankFile([], { end: '20240420', asOf: '20240420120000' }).replace(
        '</BANKTRANLIST>',
        `</BANKTRANLIST>\n<BANKTRANLISTP><DTASOF>20240420120000\n${items}</BANKTRANLISTP>`,
      );
    const p = (date: string, amount: string, name: string) =>
      `<STMTTRNP><TRNTYPE>DEBIT<DTTRAN>${date}<TRNAMT>${amount}<NAME>${name}</STMTTRNP>\n`;
    const first = pendingList(p('20240418', '-42.10', 'SHELL OIL 57442') + p('20240419', '-9.99', 'PARKING'));
    expect((await importFile(t, l, first)).json()).toMatchObject({ transactions_imported: 2 });
    const [account] = await accountsOf(t, l);
    const pending = await transactionsOf(t, l, account!.id);
    expect(pending.map((x) => x.status)).toEqual(['pending', 'pending']);
    const fuel = pending.find((x) => x.amount === -4210)!;

    const later = bankFile(
      [{ type: 'POS', posted: '20240421', amount: '-42.10', fitId: 'P-900', name: 'SHELL OIL 57443' }],
      { end: '20240425', asOf: '20240425120000' },
    );
    const r = await importFile(t, l, later);
    expect(r.json()).toMatchObject({ transactions_imported: 1, pending_settled: 1, pending_cancelled: 1 });
    const after = await transactionsOf(t, l, account!.id);
    expect(after).toHaveLength(2);
    expect(after.find((x) => x.provider_transaction_id === 'P-900')).toMatchObject({
      status: 'settled',
      pending_transaction_id: fuel.provider_transaction_id,
    });
    expect(after.find((x) => x.amount === -999)).toMatchObject({ status: 'cancelled' });
    // The old file again: its pending items are older than what the account has seen, so nothing comes back.
    const again = await importFile(t, l, first);
    expect(again.json()).toMatchObject({ pending_settled: 0, pending_cancelled: 0 });
    const final = await transactionsOf(t, l, account!.id);
    expect(final.filter((x) => x.status === 'pending' && x.amount === -4210)).toHaveLength(1);
  });

  it('an investment statement brings holdings and its cash transactions', async () => {
    const l = await fileImportLender(t, 'Broker');
    const r = await importFile(t, l, fixture('investment.ofx'));
    expect(r.statusCode).toBe(201);
    expect(r.json().holdings_imported).toBeGreaterThan(0);
    const [account] = await accountsOf(t, l);
    const holdings = await get<{ data: { symbol: string; quantity: string; market_value: number }[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/holdings`,
    );
    expect(holdings.data.length).toBe(r.json().holdings_imported);
    const snaps = await get<{ data: { holdings_value: number | null }[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/balance-snapshots`,
    );
    expect(snaps.data[0]!.holdings_value).toBe(holdings.data.reduce((a, h) => a + h.market_value, 0));
  });

  it('two imports of one file at once store it once', async () => {
    const l = await fileImportLender(t, 'Concurrent');
    const file = Buffer.from(
      bankFile(
        Array.from({ length: 3000 }, (_, i) => ({
          type: 'POS',
          posted: '20240410',
          amount: `-${i + 1}.00`,
          fitId: `C-${i}`,
          name: 'CAFE',
        })),
      ),
      'latin1',
    );
    const scope = { tenantId: l.id, actor: { type: 'system' as const, id: null } };
    const run = () =>
      t.ctx.aggregation.imports.importFile(scope, { customerId: l.customerId, fileName: null, bytes: file });
    // The customer's file-import connection exists already, so nothing else makes them wait for each other.
    expect((await importFile(t, l, bankFile([]))).statusCode).toBe(201);
    const [a, b] = await Promise.all([run(), run()]);
    if (!a.ok || !b.ok) throw new Error('an import failed');
    expect(a.value.transactionsImported + b.value.transactionsImported).toBe(3000);
    expect(a.value.transactionsSkipped + b.value.transactionsSkipped).toBe(3000);
  });

  it("another tenant's customer and accounts are not found", async () => {
    const other = await fileImportLender(t, 'Other');
    const r = await importFile(t, { ...other, customerId: acme.customerId }, fixture('bank-sgml.ofx'));
    expect(r.statusCode).toBe(404);
    const [account] = await accountsOf(t, acme);
    for (const path of ['', '/transactions', '/holdings', '/balance-snapshots'])
      expect((await t.call('GET', `/v1/accounts/${account!.id}${path}`, { key: other.key })).statusCode).toBe(
        404,
      );
    expect(
      (await t.call('GET', `/v1/accounts?customer_id=${acme.customerId}`, { key: other.key })).statusCode,
    ).toBe(404);
    expect(
      (await t.call('GET', `/v1/customers/${acme.customerId}/cash-flow`, { key: other.key })).statusCode,
    ).toBe(404);
  });
});
