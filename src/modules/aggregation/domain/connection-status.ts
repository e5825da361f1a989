import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { AuthType } from './provider.js';

/**
 * A connection's life. `pending` waits for the customer (an OAuth consent) or for a first check of its credentials;
 * `active` syncs; `expired` and `revoked` need the customer again (re-authorize or new keys); `failed` never
 * worked (a refused consent, keys the provider rejects); `disconnected` is the end: its credentials are erased.
 *
 * - expired: the grant ran out (Schwab's 7-day refresh limit; an access token still refused after a refresh).
 * - revoked: the provider stopped accepting credentials before their natural end (an Alpaca key deleted).
 */
export const CONNECTION_STATUSES = [
  'pending',
  'active',
  'expired',
  'revoked',
  'failed',
  'disconnected',
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

const TRANSITIONS: Record<ConnectionStatus, readonly ConnectionStatus[]> = {
  pending: ['active', 'failed', 'disconnected'],
  active: ['expired', 'revoked', 'disconnected'],
  expired: ['pending', 'disconnected'],
  revoked: ['pending', 'disconnected'],
  failed: ['pending', 'disconnected'],
  disconnected: [],
};

export const canTransition = (from: ConnectionStatus, to: ConnectionStatus): boolean =>
  TRANSITIONS[from].includes(to);

export function transition(from: ConnectionStatus, to: ConnectionStatus): Result<ConnectionStatus> {
  if (canTransition(from, to)) return ok(to);
  return err(
    failure('conflict', 'invalid_status_transition', `a ${from} connection cannot become ${to}`, {
      extra: { connection_status: from, requested_status: to },
    }),
  );
}

/** File imports need no consent and hold no credentials: their connection is active from the start. */
export const initialStatus = (authType: AuthType): ConnectionStatus =>
  authType === 'file_import' ? 'active' : 'pending';

/**
 * What a connection becomes when the provider refuses its credentials: an OAuth grant has run its course
 * (re-authorize), an API key was withdrawn at the provider (new keys).
 */
export const failureStatus = (authType: string): ConnectionStatus =>
  authType === 'oauth' ? 'expired' : 'revoked';
