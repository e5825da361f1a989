import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { averageOf, dailyBalances, negativeEpisodes } from './balances.js';
import { tx } from './testing.js';

const d = (s: string) => s as CalendarDate;
const period = { start: d('2024-04-01'), end: d('2024-04-05') };

describe('dailyBalances', () => {
  it('walks back from a closing balance through the transactions', () => {
    const txns = [tx('2024-04-02', 5000, 'DEPOSIT'), tx('2024-04-04', -2000, 'RENT')];
    const anchors = [{ accountId: 'chk', date: d('2024-04-05'), balance: 10_000 }];
    expect(dailyBalances(period, anchors, txns)).toEqual([7000, 12_000, 12_000, 10_000, 10_000]);
  });

  it('walks forward from an earlier balance, counting transactions after the period too', () => {
    const txns = [tx('2024-04-03', -500, 'X'), tx('2024-04-08', 100, 'LATER')];
    const anchors = [{ accountId: 'chk', date: d('2024-03-31'), balance: 1000 }];
    expect(dailyBalances(period, anchors, txns)).toEqual([1000, 1000, 500, 500, 500]);
    const after = [{ accountId: 'chk', date: d('2024-04-10'), balance: 600 }];
    expect(dailyBalances(period, after, txns)).toEqual([1000, 1000, 500, 500, 500]);
  });

  it('uses the nearest anchor for each day', () => {
    const anchors = [
      { accountId: 'chk', date: d('2024-04-01'), balance: 100 },
      { accountId: 'chk', date: d('2024-04-05'), balance: 900 },
    ];
    // No transactions recorded between them: each side keeps its own anchor's figure.
    expect(dailyBalances(period, anchors, [])).toEqual([100, 100, 900, 900, 900]);
  });

  it('is null without any anchor', () => {
    expect(dailyBalances(period, [], [tx('2024-04-02', 1, 'X')])).toBeNull();
  });
});

describe('averages and episodes', () => {
  it('averages with half-even rounding', () => {
    expect(averageOf([1, 2])).toBe(2);
    expect(averageOf([1, 4])).toBe(2);
    expect(averageOf([-3, -4])).toBe(-4);
  });

  it('finds runs of days below zero', () => {
    expect(negativeEpisodes([5, -1, -2, 0, -3, 4, -1])).toEqual([
      { startIndex: 1, days: 2 },
      { startIndex: 4, days: 1 },
      { startIndex: 6, days: 1 },
    ]);
  });
});
