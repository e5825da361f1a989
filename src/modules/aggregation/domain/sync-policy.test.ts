import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../kernel/dates.js';
import { secondsUntilAllowed, snapshotSource, syncWindow } from './sync-policy.js';

const d = (s: string) => s as CalendarDate;

describe('sync policy', () => {
  it('tags snapshots by trigger, then by scope', () => {
    expect(snapshotSource('initial', 'holdings')).toBe('initial_connection');
    expect(snapshotSource('scheduled', 'all')).toBe('scheduled_sync');
    expect(snapshotSource('manual', 'all')).toBe('manual_sync');
    expect(snapshotSource('manual', 'accounts')).toBe('account_sync');
    expect(snapshotSource('manual', 'holdings')).toBe('holdings_sync');
  });

  it('allows a sync every 5 minutes, or at once when forced', () => {
    const last = new Date('2024-04-10T12:00:00Z');
    expect(secondsUntilAllowed(last, new Date('2024-04-10T12:01:00Z'), false)).toBe(240);
    expect(secondsUntilAllowed(last, new Date('2024-04-10T12:01:00Z'), true)).toBe(0);
    expect(secondsUntilAllowed(last, new Date('2024-04-10T12:05:00Z'), false)).toBe(0);
    expect(secondsUntilAllowed(null, new Date(), false)).toBe(0);
  });

  it('defaults to the last 30 days and reaches back to the oldest pending transaction (at most 90 days)', () => {
    const today = d('2024-04-30');
    expect(syncWindow({ today })).toEqual({ ok: true, value: { start: '2024-03-31', end: '2024-04-30' } });
    expect(syncWindow({ today, oldestPending: d('2024-03-10') })).toMatchObject({
      value: { start: '2024-03-10' },
    });
    expect(syncWindow({ today, oldestPending: d('2023-01-01') })).toMatchObject({
      value: { start: '2024-01-31' },
    });
    expect(syncWindow({ today, startDate: d('2024-04-20') })).toMatchObject({
      value: { start: '2024-04-20' },
    });
  });

  it('refuses a window in the future, inverted or too long', () => {
    const today = d('2024-04-30');
    expect(syncWindow({ today, endDate: d('2024-05-01') })).toMatchObject({
      ok: false,
      error: { code: 'invalid_window' },
    });
    expect(syncWindow({ today, startDate: d('2024-04-29'), endDate: d('2024-04-28') })).toMatchObject({
      ok: false,
    });
    expect(syncWindow({ today, startDate: d('2020-01-01') })).toMatchObject({
      ok: false,
      error: { fields: [{ path: 'start_date' }] },
    });
  });
});
