import { describe, expect, it } from 'vitest';
import { tx } from './testing.js';
import { internalTransfers } from './transfers.js';

describe('internal transfers', () => {
  it('pairs money leaving one account and arriving in another within three days', () => {
    const out = tx('2024-04-02', -50_000, 'ONLINE TRANSFER TO SAV 1234', { accountId: 'chk' });
    const inn = tx('2024-04-03', 50_000, 'ONLINE TRANSFER FROM CHK 5678', { accountId: 'sav' });
    const late = tx('2024-04-09', 50_000, 'TRANSFER FROM CHK', { accountId: 'sav' });
    const sameAccount = tx('2024-04-02', 50_000, 'TRANSFER REVERSAL', { accountId: 'chk' });
    const notTransfer = tx('2024-04-02', 50_000, 'PAYROLL', { accountId: 'sav' });
    expect(internalTransfers([out, late, sameAccount, notTransfer, inn])).toEqual(new Set([out.id, inn.id]));
  });

  it('a bank-typed transfer needs no transfer wording; each transaction pairs once', () => {
    const a = tx('2024-04-02', -100, 'TO SAVINGS', { accountId: 'chk', transactionType: 'transfer' });
    const b = tx('2024-04-02', 100, 'FROM CHECKING', { accountId: 'sav', transactionType: 'transfer' });
    const c = tx('2024-04-02', 100, 'FROM CHECKING', { accountId: 'mm', transactionType: 'transfer' });
    expect(internalTransfers([a, b, c]).size).toBe(2);
  });
});
