import { err, failure, ok, type Result } from '../../../../kernel/result.js';

export const LEASE_STATUSES = [
  'application',
  'approved',
  'active',
  'returned',
  'purchased',
  'early_terminated',
  'closed',
] as const;
export type LeaseStatus = (typeof LEASE_STATUSES)[number];

/**
 * The lease lifecycle. An application is approved (or withdrawn/declined: closed); an approved lease is funded
 * (active) or abandoned (closed); an active lease ends by return at maturity, purchase, or early termination, and
 * each of those is closed once its final amounts are settled.
 */
const TRANSITIONS: Record<LeaseStatus, readonly LeaseStatus[]> = {
  application: ['approved', 'closed'],
  approved: ['active', 'closed'],
  active: ['returned', 'purchased', 'early_terminated'],
  returned: ['closed'],
  purchased: ['closed'],
  early_terminated: ['closed'],
  closed: [],
};

export const allowedLeaseTransitions = (from: LeaseStatus): readonly LeaseStatus[] => TRANSITIONS[from];

/** The next status, or `invalid_state_transition` (409) naming the statuses allowed from `from`. */
export function transitionLease(from: LeaseStatus, to: LeaseStatus): Result<LeaseStatus> {
  if (TRANSITIONS[from].includes(to)) return ok(to);
  return err(
    failure('conflict', 'invalid_state_transition', `a lease cannot go from ${from} to ${to}`, {
      extra: { from, to, allowed: TRANSITIONS[from] },
    }),
  );
}
