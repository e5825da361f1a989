import { addDays, type CalendarDate, daysBetween, maxDate, minDate } from '../../../kernel/dates.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';

/** When and over what a connection syncs, and how its balance snapshots are tagged. */

export const SNAPSHOT_SOURCES = [
  'account_sync',
  'holdings_sync',
  'manual_sync',
  'scheduled_sync',
  'initial_connection',
  'file_import',
] as const;
export type SnapshotSource = (typeof SNAPSHOT_SOURCES)[number];

/** Who started a sync: the connection's first one, an API call, or the scheduler. */
export const SYNC_TRIGGERS = ['initial', 'manual', 'scheduled'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/** `accounts`: accounts, balances and transactions; `holdings`: accounts, balances and positions; `all`: both. */
export const SYNC_SCOPES = ['all', 'accounts', 'holdings'] as const;
export type SyncScope = (typeof SYNC_SCOPES)[number];

export const MIN_SYNC_INTERVAL_MS = 5 * 60_000;
export const SYNC_INTERVAL_MS = 24 * 60 * 60_000;
/** After a transient failure with no Retry-After, the scheduler tries again this much later. */
export const RETRY_DELAY_MS = 15 * 60_000;
export const DEFAULT_WINDOW_DAYS = 30;
/** The longest window one sync may ask for (a first sync may want history). */
export const MAX_WINDOW_DAYS = 730;
/** How far back a sync reaches to settle pending transactions that are older than its window. */
export const PENDING_LOOKBACK_DAYS = 90;

/**
 * The first sync of a connection is `initial_connection`, a scheduled one `scheduled_sync`; an API call is tagged
 * by what it fetched: everything (`manual_sync`), account data only (`account_sync`) or positions (`holdings_sync`).
 */
export function snapshotSource(trigger: SyncTrigger, scope: SyncScope): SnapshotSource {
  if (trigger === 'initial') return 'initial_connection';
  if (trigger === 'scheduled') return 'scheduled_sync';
  return scope === 'accounts' ? 'account_sync' : scope === 'holdings' ? 'holdings_sync' : 'manual_sync';
}

/** Seconds until another sync may start, or 0. A forced sync never waits. */
export function secondsUntilAllowed(lastStartedAt: Date | null, now: Date, force: boolean): number {
  if (force || !lastStartedAt) return 0;
  const wait = lastStartedAt.getTime() + MIN_SYNC_INTERVAL_MS - now.getTime();
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

export interface SyncWindow {
  start: CalendarDate;
  end: CalendarDate;
}

/**
 * The transaction window: the request's dates, or the last 30 days. It reaches back to the oldest transaction
 * still pending (at most 90 days), so that a pending one outside the default window can still be settled.
 */
export function syncWindow(opts: {
  today: CalendarDate;
  startDate?: CalendarDate;
  endDate?: CalendarDate;
  oldestPending?: CalendarDate | null;
}): Result<SyncWindow> {
  const end = opts.endDate ?? opts.today;
  let start = opts.startDate ?? addDays(end, -DEFAULT_WINDOW_DAYS);
  if (end > opts.today)
    return err(
      failure('unprocessable', 'invalid_window', 'end_date is in the future', {
        fields: [{ path: 'end_date', message: 'must not be after today' }],
      }),
    );
  if (start > end)
    return err(
      failure('unprocessable', 'invalid_window', 'start_date is after end_date', {
        fields: [{ path: 'start_date', message: 'must not be after end_date' }],
      }),
    );
  if (daysBetween(start, end) > MAX_WINDOW_DAYS)
    return err(
      failure('unprocessable', 'invalid_window', `the window is longer than ${MAX_WINDOW_DAYS} days`, {
        fields: [{ path: 'start_date', message: `at most ${MAX_WINDOW_DAYS} days before end_date` }],
      }),
    );
  if (opts.oldestPending)
    start = minDate(start, maxDate(opts.oldestPending, addDays(opts.today, -PENDING_LOOKBACK_DAYS)));
  return ok({ start, end });
}
