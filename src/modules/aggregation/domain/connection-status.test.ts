import { describe, expect, it } from 'vitest';
import {
  CONNECTION_STATUSES,
  canTransition,
  failureStatus,
  initialStatus,
  transition,
} from './connection-status.js';

describe('connection statuses', () => {
  it('allow exactly the documented transitions', () => {
    const allowed = CONNECTION_STATUSES.flatMap((from) =>
      CONNECTION_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'pending→active',
      'pending→failed',
      'pending→disconnected',
      'active→expired',
      'active→revoked',
      'active→disconnected',
      'expired→pending',
      'expired→disconnected',
      'revoked→pending',
      'revoked→disconnected',
      'failed→pending',
      'failed→disconnected',
    ]);
  });

  it('a refused transition is a conflict naming both states', () => {
    expect(transition('disconnected', 'active')).toMatchObject({
      ok: false,
      error: {
        kind: 'conflict',
        code: 'invalid_status_transition',
        extra: { connection_status: 'disconnected' },
      },
    });
  });

  it('starts file imports active and the rest pending; refused credentials expire OAuth and revoke keys', () => {
    expect(initialStatus('file_import')).toBe('active');
    expect(initialStatus('oauth')).toBe('pending');
    expect(failureStatus('oauth')).toBe('expired');
    expect(failureStatus('api_key')).toBe('revoked');
  });
});
