import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../kernel/dates.js';
import type { LedgerEntry } from '../product.js';
import { journalDelta, ledgerBalances, nonZero, toPostings } from './posting.js';

const day = parseDate('2024-03-01');
const entry = (lines: [string, number][]): LedgerEntry => ({
  date: day,
  kind: 'payment',
  eventId: 'e1',
  lines: lines.map(([account, amount]) => ({
    account,
    side: amount > 0 ? 'debit' : 'credit',
    amount: Math.abs(amount),
  })),
});

/** Any balanced entry: random signed movements plus the one that balances them. */
const balancedArb = fc
  .array(
    fc.tuple(
      fc.constantFrom('cash', 'loans_receivable', 'interest_receivable', 'fees_receivable', 'income'),
      fc.integer({ min: -1e9, max: 1e9 }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((moves) => {
    const net = new Map<string, number>();
    for (const [a, v] of moves) net.set(a, (net.get(a) ?? 0) + v);
    const sum = [...net.values()].reduce((s, v) => s + v, 0);
    net.set('suspense', -sum);
    return entry([...net].filter(([, v]) => v !== 0));
  });

describe('journal postings', () => {
  it('splits a payment into two-sided rows', () => {
    const rows = toPostings(
      entry([
        ['cash', 10_000],
        ['interest_receivable', -1_200],
        ['loans_receivable', -8_800],
      ]),
    );
    expect(rows.map((r) => [r.debitAccount, r.creditAccount, r.amount])).toEqual([
      ['cash', 'interest_receivable', 1_200],
      ['cash', 'loans_receivable', 8_800],
    ]);
  });

  it('keeps every balance of any balanced entry, each row positive', () => {
    fc.assert(
      fc.property(balancedArb, (e) => {
        const rows = toPostings(e);
        for (const r of rows) expect(r.amount).toBeGreaterThan(0);
        const asEntries = rows.map((r) =>
          entry([
            [r.debitAccount, r.amount],
            [r.creditAccount, -r.amount],
          ]),
        );
        expect(nonZero(ledgerBalances(asEntries))).toEqual(nonZero(ledgerBalances([e])));
        // n balanced lines need at most n − 1 two-sided rows; movements that cancel leave none.
        expect(rows.length).toBeLessThanOrEqual(Math.max(0, e.lines.length - 1));
      }),
    );
  });

  it('posts the event’s entries plus a restatement that brings the stored balances to the replay’s', () => {
    fc.assert(
      fc.property(
        fc.array(balancedArb, { maxLength: 4 }),
        fc.array(balancedArb, { maxLength: 4 }),
        (stored, replayed) => {
          const before = ledgerBalances(stored);
          const after = ledgerBalances(replayed);
          const posted = journalDelta(replayed, 'e1', before, after, day);
          expect(nonZero(ledgerBalances([...stored, ...posted]))).toEqual(nonZero(after));
          for (const e of posted) if (e.kind === 'restatement') expect(e.date).toBe(day);
        },
      ),
    );
  });
});
