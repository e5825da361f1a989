import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransactionSpec } from '../../sandbox/bank-files/write-ofx.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { bankFile, fileImportLender, importFile, type Lender } from './helpers.js';

// A statement larger than one ingest slice (20,000 transactions) is classified, planned and written a slice at a
// time; each provider id's transactions stay in one slice, so deduplication sees them together.
let t: TestApp;
let lender: Lender;

beforeAll(async () => {
  t = await startTestApp();
  lender = await fileImportLender(t, 'Large');
});
afterAll(() => t.close());

const txn = (i: number, amount = `-${(i % 500) + 1}.25`): TransactionSpec => ({
  type: 'DEBIT',
  posted: `202404${String((i % 28) + 1).padStart(2, '0')}`,
  amount,
  fitId: `T${i}`,
  name: `Merchant ${i % 97}`,
});

describe('a statement of 45,000 transactions', () => {
  const transactions = [
    ...Array.from({ length: 45_000 }, (_, i) => txn(i)),
    txn(1), // the same FITID, amount and date again: two identical purchases
    txn(2),
    txn(3, '-999.99'), // the same FITID with another amount: a conflict
  ];
  const file = Buffer.from(bankFile(transactions));

  it('imports whole, flagging repeated and conflicting FITIDs wherever they sit in the file', async () => {
    const r = await importFile(t, lender, file);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      transactions_imported: 45_003,
      transactions_skipped: 0,
      transactions_flagged: 6,
    });
  }, 120_000);

  it('imports nothing the second time', async () => {
    const r = await importFile(t, lender, file);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      transactions_imported: 0,
      transactions_skipped: 45_003,
      transactions_flagged: 0,
    });
  }, 120_000);
});
