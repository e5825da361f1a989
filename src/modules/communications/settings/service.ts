import { and, eq, sql } from 'drizzle-orm';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid } from '../../../kernel/ids.js';
import { err, notFound, ok, type Result } from '../../../kernel/result.js';
import { communicationProgramSettings, communicationSettings, type Lender } from '../tables.js';

export interface CommunicationSettings {
  /** The lender as templates name it (`lender.*`); null until the tenant sets it. */
  lender: Lender | null;
  /** Messages per second the outbox sends for this tenant, across its channels. */
  ratePerSecond: number;
  /** Days before a due date that the payment reminder goes (a program may set its own). */
  paymentReminderDays: number;
}

export const DEFAULT_RATE_PER_SECOND = 100;
export const DEFAULT_REMINDER_DAYS = 5;

/** Each tenant's communication settings: who the messages come from, and how fast they go. */
export class CommunicationSettingsService {
  constructor(private readonly deps: { db: Db; audit: AuditWriter }) {}

  async get(tenantId: string): Promise<CommunicationSettings> {
    const [r] = await this.deps.db
      .select()
      .from(communicationSettings)
      .where(eq(communicationSettings.tenantId, tenantId));
    return r
      ? { lender: r.lender, ratePerSecond: r.ratePerSecond, paymentReminderDays: r.paymentReminderDays }
      : { lender: null, ratePerSecond: DEFAULT_RATE_PER_SECOND, paymentReminderDays: DEFAULT_REMINDER_DAYS };
  }

  async update(
    scope: Scope,
    s: { lender: Lender; ratePerSecond: number; paymentReminderDays?: number },
  ): Promise<CommunicationSettings> {
    const values = {
      lender: s.lender,
      ratePerSecond: s.ratePerSecond,
      paymentReminderDays: s.paymentReminderDays ?? DEFAULT_REMINDER_DAYS,
    };
    await this.deps.db.transaction(async (tx) => {
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
        changes: {
          lender: s.lender,
          rate_per_second: s.ratePerSecond,
          payment_reminder_days: values.paymentReminderDays,
        },
      });
    });
    return values;
  }

  /** Each program's own reminder lead time (programs without one take the tenant's). */
  async programReminderDays(tenantId: string): Promise<Map<string, number>> {
    const found = await this.deps.db
      .select()
      .from(communicationProgramSettings)
      .where(eq(communicationProgramSettings.tenantId, tenantId));
    return new Map(found.map((r) => [r.programId, r.paymentReminderDays]));
  }

  /** A program's reminder lead time: its own, or null to take the tenant's again. */
  async setProgramReminderDays(
    scope: Scope,
    programId: string,
    days: number | null,
    programExists: (id: string) => Promise<boolean>,
  ): Promise<Result<{ programId: string; paymentReminderDays: number | null }>> {
    if (!isUuid(programId) || !(await programExists(programId))) return err(notFound('program'));
    const key = and(
      eq(communicationProgramSettings.tenantId, scope.tenantId),
      eq(communicationProgramSettings.programId, programId),
    );
    await this.deps.db.transaction(async (tx) => {
      if (days === null) await tx.delete(communicationProgramSettings).where(key);
      else
        await tx
          .insert(communicationProgramSettings)
          .values({ tenantId: scope.tenantId, programId, paymentReminderDays: days })
          .onConflictDoUpdate({
            target: [communicationProgramSettings.tenantId, communicationProgramSettings.programId],
            set: { paymentReminderDays: days, updatedAt: sql`now()` },
          });
      await this.deps.audit(tx, scope, {
        action: 'communication_settings.program_updated',
        entityType: 'program',
        entityId: programId,
        changes: { payment_reminder_days: days },
      });
    });
    return ok({ programId, paymentReminderDays: days });
  }
}
