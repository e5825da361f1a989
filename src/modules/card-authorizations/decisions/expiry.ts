import type { Db } from '../../../kernel/db.js';
import type { DecisionEngine } from './engine.js';
import { expiredHolds } from './store.js';

/**
 * Releases holds that outlived their request's `expires_at` (the relay config's hold_expiry_days): a backstop
 * for expiries and reversals the platform never delivered. Each release is an idempotent `expiry` message on
 * the request, applied by the decision engine like any other, so it serializes with that request's traffic; a
 * clearing that arrives afterwards still posts in full.
 */
export class HoldExpiry {
  constructor(private readonly deps: { db: Db; engine: DecisionEngine; now: () => Date }) {}

  /** Releases up to `limit` expired holds (of one tenant, or all); returns how many were released. */
  async releaseExpiredHolds(opts: { tenantId?: string; asOf?: Date; limit?: number } = {}): Promise<number> {
    const due = await expiredHolds(this.deps.db, {
      tenantId: opts.tenantId,
      asOf: opts.asOf ?? this.deps.now(),
      limit: opts.limit ?? 500,
    });
    const results = await Promise.all(
      due.map((row) =>
        this.deps.engine.expire(
          {
            tenantId: row.tenantId,
            provider: row.provider,
            providerConfigId: row.providerConfigId,
            holdExpiryDays: 0,
          },
          row,
        ),
      ),
    );
    return results.filter((x) => !x.replay && x.approvedAmount > 0).length;
  }
}
