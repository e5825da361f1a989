import { describe, expect, it } from 'vitest';
import { LEASE_STATUSES, transitionLease } from './state.js';

describe('lease states', () => {
  it('follows the lifecycle', () => {
    const path = ['application', 'approved', 'active', 'early_terminated', 'closed'] as const;
    for (let i = 0; i + 1 < path.length; i++) {
      expect(transitionLease(path[i]!, path[i + 1]!)).toEqual({ ok: true, value: path[i + 1] });
    }
    expect(transitionLease('active', 'purchased').ok).toBe(true);
    expect(transitionLease('active', 'returned').ok).toBe(true);
  });

  it('refuses anything else with invalid_state_transition', () => {
    const result = transitionLease('application', 'active');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: 'conflict', code: 'invalid_state_transition' });
    expect(result.error.extra).toEqual({
      from: 'application',
      to: 'active',
      allowed: ['approved', 'closed'],
    });
    for (const to of LEASE_STATUSES) expect(transitionLease('closed', to).ok).toBe(false);
    expect(transitionLease('returned', 'active').ok).toBe(false);
  });
});
