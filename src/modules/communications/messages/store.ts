import { and, asc, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { uuidv7 } from '../../../kernel/ids.js';
import type { MessageStatus } from '../domain/status.js';
import type { Channel } from '../domain/templates/definition.js';
import {
  type EventSource,
  type MessageEventRow,
  type MessageRow,
  messageEvents,
  messages,
} from '../tables.js';

/** Stores a new message; one with the event key of a message stored already is not stored (undefined). */
export async function insertMessage(
  db: Db,
  row: typeof messages.$inferInsert,
  at: Date,
): Promise<MessageRow | undefined> {
  const [r] = await db.insert(messages).values(row).onConflictDoNothing().returning();
  if (!r) return undefined;
  const source = r.eventKey === null ? 'api' : 'event';
  await insertEvent(db, r, { status: r.status, source, reason: r.statusReason, at });
  return r;
}

export async function findByEventKey(db: Db, tenantId: string, key: string): Promise<MessageRow | undefined> {
  const [r] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.eventKey, key)));
  return r;
}

export async function insertEvent(
  db: Db,
  m: Pick<MessageRow, 'tenantId' | 'id'>,
  e: {
    status: MessageStatus;
    source: EventSource;
    reason?: string | null;
    providerEventId?: string;
    at: Date;
  },
): Promise<boolean> {
  const r = await db
    .insert(messageEvents)
    .values({
      tenantId: m.tenantId,
      id: uuidv7(),
      messageId: m.id,
      status: e.status,
      source: e.source,
      reason: e.reason ?? null,
      providerEventId: e.providerEventId ?? null,
      occurredAt: e.at,
    })
    .onConflictDoNothing()
    .returning({ id: messageEvents.id });
  return r.length > 0;
}

export async function findMessage(db: Db, tenantId: string, id: string): Promise<MessageRow | undefined> {
  const [r] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
  return r;
}

/** The message a provider event names, locked for the transition. */
export async function lockForEvent(
  db: Db,
  tenantId: string,
  configId: string,
  ref: { messageId?: string; providerMessageId?: string },
): Promise<MessageRow | undefined> {
  const where = ref.messageId
    ? eq(messages.id, ref.messageId)
    : ref.providerMessageId
      ? eq(messages.providerMessageId, ref.providerMessageId)
      : undefined;
  if (!where) return undefined;
  const [r] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.providerConfigId, configId), where))
    .for('update');
  return r;
}

export interface MessageFilter {
  channel?: Channel;
  status?: MessageStatus;
  customerId?: string;
  loanId?: string;
  limit: number;
  before?: string;
}

export async function listMessages(db: Db, tenantId: string, f: MessageFilter): Promise<MessageRow[]> {
  const where: (SQL | undefined)[] = [
    eq(messages.tenantId, tenantId),
    f.channel ? eq(messages.channel, f.channel) : undefined,
    f.status ? eq(messages.status, f.status) : undefined,
    f.customerId ? eq(messages.customerId, f.customerId) : undefined,
    f.loanId ? eq(messages.loanId, f.loanId) : undefined,
    f.before ? lt(messages.id, f.before) : undefined,
  ];
  return db
    .select()
    .from(messages)
    .where(and(...where))
    .orderBy(desc(messages.id))
    .limit(f.limit);
}

export async function listEvents(db: Db, tenantId: string, messageId: string): Promise<MessageEventRow[]> {
  return db
    .select()
    .from(messageEvents)
    .where(and(eq(messageEvents.tenantId, tenantId), eq(messageEvents.messageId, messageId)))
    .orderBy(asc(messageEvents.id));
}

/**
 * Moves a message from one of `from` to `to`, only if it is still there: the one place a status changes, so two
 * workers (or a worker and a webhook) can never both move it. Answers the moved row.
 */
export async function move(
  db: Db,
  tenantId: string,
  id: string,
  from: readonly MessageStatus[],
  to: MessageStatus,
  set: Partial<typeof messages.$inferInsert> = {},
): Promise<MessageRow | undefined> {
  const [r] = await db
    .update(messages)
    .set({ ...set, status: to, updatedAt: sql`now()` })
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id), inArray(messages.status, [...from])))
    .returning();
  return r;
}

/**
 * Claims up to `limit` of the tenant's queued messages that are due, oldest first, for sending: one attempt more
 * each. Rows another worker holds are skipped (SKIP LOCKED), so workers share a tenant's outbox without waiting.
 */
export async function claimBatch(db: Db, tenantId: string, limit: number, at: Date): Promise<MessageRow[]> {
  const due = db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.status, 'queued'),
        sql`(${messages.nextAttemptAt} IS NULL OR ${messages.nextAttemptAt} <= ${at})`,
      ),
    )
    .orderBy(asc(messages.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(messages)
    .set({ status: 'sending', attempts: sql`${messages.attempts} + 1`, updatedAt: sql`now()` })
    .where(and(eq(messages.tenantId, tenantId), inArray(messages.id, due)))
    .returning();
}

/**
 * Records a batch of accepted sends in one statement: sending → sent with the vendor's id and a `sent` event each.
 * A message a status webhook already moved on (it can overtake the answer) only gets the vendor's id.
 */
export async function markSent(
  db: Db,
  tenantId: string,
  sent: readonly { id: string; providerMessageId: string }[],
  at: Date,
): Promise<void> {
  if (sent.length === 0) return;
  const values = sql.join(
    sent.map((s) => sql`(${s.id}::uuid, ${s.providerMessageId}::text, ${uuidv7()}::uuid)`),
    sql`, `,
  );
  await db.execute(sql`
    WITH v (id, provider_message_id, event_id) AS (VALUES ${values}),
    moved AS (
      UPDATE messages m SET status = 'sent', provider_message_id = v.provider_message_id, status_reason = NULL,
             updated_at = now()
        FROM v WHERE m.tenant_id = ${tenantId} AND m.id = v.id AND m.status = 'sending'
      RETURNING m.id),
    overtaken AS (
      UPDATE messages m SET provider_message_id = v.provider_message_id, updated_at = now()
        FROM v WHERE m.tenant_id = ${tenantId} AND m.id = v.id AND m.status <> 'sending'
         AND m.provider_message_id IS NULL
      RETURNING m.id)
    INSERT INTO message_events (tenant_id, id, message_id, status, source, occurred_at)
    SELECT ${tenantId}, v.event_id, v.id, 'sent', 'dispatch', ${at} FROM v JOIN moved ON moved.id = v.id`);
}

/** When the tenant's next queued message falls due (a backoff or a deferral), or undefined when none waits. */
export async function nextDue(db: Db, tenantId: string): Promise<Date | undefined> {
  const [r] = await db
    .select({ at: sql<Date | null>`min(coalesce(${messages.nextAttemptAt}, now()))` })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.status, 'queued')));
  return r?.at ? new Date(r.at) : undefined;
}

/** Tenants with queued messages (what a restart wakes the workers for). */
export async function tenantsWithQueued(db: Db): Promise<string[]> {
  const r = await db
    .selectDistinct({ tenantId: messages.tenantId })
    .from(messages)
    .where(eq(messages.status, 'queued'));
  return r.map((x) => x.tenantId);
}

/** Messages left in `sending` by a process that stopped mid-send. */
export async function stuckSending(db: Db, before: Date, limit: number) {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.status, 'sending'), lt(messages.updatedAt, before)))
    .limit(limit);
}
