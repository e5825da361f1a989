import { and, eq, sql } from 'drizzle-orm';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import type { OptOutEvent } from '../domain/channels.js';
import { CHANNELS, type Channel } from '../domain/templates/definition.js';
import { contactPreferences, optOuts } from '../tables.js';

export type ContactPreferences = Record<Channel, boolean>;

/** The address as opt-outs key it: e-mail addresses compare case-insensitively, phone numbers are E.164. */
export const optOutAddress = (channel: Channel, address: string) =>
  channel === 'email' ? address.trim().toLowerCase() : address.trim();

/**
 * Who may be contacted how: a customer's choice per channel (absent: allowed), and addresses that opted out on
 * their own (an SMS STOP, an e-mail unsubscribe or spam report), whoever they belong to.
 */
export class PreferenceService {
  constructor(private readonly deps: { db: Db; audit: AuditWriter }) {}

  async get(tenantId: string, customerId: string): Promise<ContactPreferences> {
    const rows = await this.deps.db
      .select()
      .from(contactPreferences)
      .where(and(eq(contactPreferences.tenantId, tenantId), eq(contactPreferences.customerId, customerId)));
    const prefs = Object.fromEntries(CHANNELS.map((c) => [c, true])) as ContactPreferences;
    for (const r of rows) prefs[r.channel] = r.allowed;
    return prefs;
  }

  async set(
    scope: Scope,
    customerId: string,
    changes: Partial<ContactPreferences>,
  ): Promise<ContactPreferences> {
    await this.deps.db.transaction(async (tx) => {
      for (const channel of CHANNELS) {
        const allowed = changes[channel];
        if (allowed === undefined) continue;
        await tx
          .insert(contactPreferences)
          .values({ tenantId: scope.tenantId, customerId, channel, allowed })
          .onConflictDoUpdate({
            target: [contactPreferences.tenantId, contactPreferences.customerId, contactPreferences.channel],
            set: { allowed, updatedAt: sql`now()` },
          });
      }
      await this.deps.audit(tx, scope, {
        action: 'contact_preferences.updated',
        entityType: 'customer',
        entityId: customerId,
        changes,
      });
    });
    return this.get(scope.tenantId, customerId);
  }

  /** Why this message may not go, or undefined when it may. */
  async blocked(
    tenantId: string,
    customerId: string | null,
    channel: Channel,
    address: string | null,
  ): Promise<string | undefined> {
    if (customerId && !(await this.get(tenantId, customerId))[channel]) return 'customer_opted_out';
    if (address && channel !== 'letter') {
      const [r] = await this.deps.db
        .select({ source: optOuts.source })
        .from(optOuts)
        .where(
          and(
            eq(optOuts.tenantId, tenantId),
            eq(optOuts.channel, channel),
            eq(optOuts.address, optOutAddress(channel, address)),
          ),
        );
      if (r) return 'recipient_opted_out';
    }
    return undefined;
  }

  /** Records what a provider reported: a STOP or unsubscribe opts the address out, a START opts it back in. */
  async record(db: Db, tenantId: string, e: OptOutEvent): Promise<void> {
    const address = optOutAddress(e.channel, e.address);
    if (e.optedOut)
      await db
        .insert(optOuts)
        .values({ tenantId, channel: e.channel, address, source: e.source })
        .onConflictDoNothing();
    else
      await db
        .delete(optOuts)
        .where(
          and(eq(optOuts.tenantId, tenantId), eq(optOuts.channel, e.channel), eq(optOuts.address, address)),
        );
  }

  async listOptOuts(tenantId: string, channel?: 'email' | 'sms') {
    return this.deps.db
      .select()
      .from(optOuts)
      .where(and(eq(optOuts.tenantId, tenantId), channel ? eq(optOuts.channel, channel) : undefined))
      .orderBy(optOuts.createdAt)
      .limit(1000);
  }
}
