import { eq, sql } from 'drizzle-orm';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { communicationSettings, type Lender } from '../tables.js';

export interface CommunicationSettings {
  /** The lender as templates name it (`lender.*`); null until the tenant sets it. */
  lender: Lender | null;
  /** Messages per second the outbox sends for this tenant, across its channels. */
  ratePerSecond: number;
}

export const DEFAULT_RATE_PER_SECOND = 100;

/** Each tenant's communication settings: who the messages come from, and how fast they go. */
export class CommunicationSettingsService {
  constructor(private readonly deps: { db: Db; audit: AuditWriter }) {}

  async get(tenantId: string): Promise<CommunicationSettings> {
    const [r] = await this.deps.db
      .select()
      .from(communicationSettings)
      .where(eq(communicationSettings.tenantId, tenantId));
    return r
      ? { lender: r.lender, ratePerSecond: r.ratePerSecond }
      : { lender: null, ratePerSecond: DEFAULT_RATE_PER_SECOND };
  }

  async update(scope: Scope, s: { lender: Lender; ratePerSecond: number }): Promise<CommunicationSettings> {
    await this.deps.db.transaction(async (tx) => {
      const values = { lender: s.lender, ratePerSecond: s.ratePerSecond };
      await tx
        .insert(communicationSettings)
        .values({ tenantId: scope.tenantId, ...values })
        .onConflictDoUpdate({
          target: communicationSettings.tenantId,
          set: { ...values, updatedAt: sql`now()` },
        });
      await this.deps.audit(tx, scope, {
        action: 'communication_settings.updated',
        entityType: 'communication_settings',
        entityId: null,
        changes: { lender: s.lender, rate_per_second: s.ratePerSecond },
      });
    });
    return { ...s };
  }
}
