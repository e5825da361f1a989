import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type PendingRow, type PostedCandidate, pendingToResolve, resolvePending } from './pending.js';

const d = (s: string) => s as CalendarDate;
const pending = (
  id: string,
  amount: number,
  date: string,
  description: string,
  over: Partial<PendingRow> = {},
): PendingRow => ({
  id,
  providerTransactionId: `p-${id}`,
  amount,
  transactionDate: d(date),
  description,
  observedThrough: null,
  createdAt: 1000,
  ...over,
});
const posted = (
  id: string,
  amount: number,
  date: string,
  description: string,
  createdAt = 2000,
): PostedCandidate => ({
  id,
  amount,
  transactionDate: d(date),
  description,
  createdAt,
});

describe('pendingToResolve', () => {
  const coverage = { start: d('2024-04-01'), end: d('2024-04-30') };
  it('takes pending rows the data covers and no longer reports', () => {
    const rows = [
      pending('a', -100, '2024-04-10', 'X'),
      pending('b', -100, '2024-03-31', 'X'),
      pending('c', -100, '2024-04-10', 'X', { providerTransactionId: 'still' }),
      pending('d', -100, '2024-04-10', 'X', { observedThrough: d('2024-05-02') }),
    ];
    expect(pendingToResolve(rows, new Set(['still']), coverage).map((p) => p.id)).toEqual(['a']);
  });
});

describe('resolvePending', () => {
  it('matches the same amount within the window, preferring the same merchant, then the nearest date', () => {
    const r = resolvePending(
      [pending('p', -4210, '2024-04-18', 'SHELL OIL 57442')],
      [
        posted('far', -4210, '2024-04-20', 'SHELL OIL 57443'),
        posted('near-other', -4210, '2024-04-18', 'EXXON 1'),
        posted('near', -4210, '2024-04-19', 'SHELL OIL 57443'),
      ],
    );
    expect(r).toEqual({
      posted: [{ pendingId: 'p', pendingProviderId: 'p-p', postedId: 'near' }],
      dropped: [],
    });
  });

  it('matches a changed amount (a tip) only for the same merchant and within the tolerance', () => {
    const r = resolvePending(
      [
        pending('tip', -5000, '2024-04-10', 'BLUE BOTTLE #12'),
        pending('big', -5000, '2024-04-10', 'HOTEL X'),
      ],
      [posted('t', -5900, '2024-04-11', 'BLUE BOTTLE #12'), posted('h', -9000, '2024-04-12', 'HOTEL X')],
    );
    expect(r.posted.map((m) => [m.pendingId, m.postedId])).toEqual([['tip', 't']]);
    expect(r.dropped).toEqual(['big']);
  });

  it('never matches a posting dated before the pending one, stored before it, or outside the window', () => {
    const r = resolvePending(
      [pending('p', -100, '2024-04-10', 'CAFE', { createdAt: 5000 })],
      [
        posted('before', -100, '2024-04-09', 'CAFE', 6000),
        posted('older-row', -100, '2024-04-11', 'CAFE', 4000),
        posted('late', -100, '2024-04-21', 'CAFE', 6000),
      ],
    );
    expect(r).toEqual({ posted: [], dropped: ['p'] });
  });

  it('one posting settles one pending transaction', () => {
    const r = resolvePending(
      [pending('p1', -100, '2024-04-10', 'CAFE'), pending('p2', -100, '2024-04-10', 'CAFE')],
      [posted('x', -100, '2024-04-11', 'CAFE')],
    );
    expect(r.posted).toHaveLength(1);
    expect(r.dropped).toHaveLength(1);
  });
});
