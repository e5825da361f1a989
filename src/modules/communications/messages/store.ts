import { and, asc, desc, eq, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
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

export async function insertMessage(
  db: Db,
  row: typeof messages.$inferInsert,
  at: Date,
): Promise<MessageRow> {
  const [r] = await db.insert(messages).values(row).returning();
  await insertEvent(db, r!, { status: r!.status, source: 'api', reason: r!.statusReason, at });
  return r!;
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

/** The vendor's id of a message a status webhook already moved past `sending`. */
export async function recordProviderId(db: Db, tenantId: string, id: string, providerMessageId: string) {
  await db
    .update(messages)
    .set({ providerMessageId, updatedAt: sql`now()` })
    .where(
      and(eq(messages.tenantId, tenantId), eq(messages.id, id), sql`${messages.providerMessageId} IS NULL`),
    );
}

/** Claims a queued message for sending: one attempt more. */
export async function claim(db: Db, tenantId: string, id: string): Promise<MessageRow | undefined> {
  return move(db, tenantId, id, ['queued'], 'sending', { attempts: sql`${messages.attempts} + 1` as never });
}

/** Queued messages due by `at`, oldest first (what a restart sends again). */
export async function dueMessages(db: Db, at: Date, limit: number) {
  return db
    .select({ tenantId: messages.tenantId, id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.status, 'queued'),
        sql`(${messages.nextAttemptAt} IS NULL OR ${lte(messages.nextAttemptAt, at)})`,
      ),
    )
    .orderBy(asc(messages.id))
    .limit(limit);
}

/** Messages left in `sending` by a process that stopped mid-send. */
export async function stuckSending(db: Db, before: Date, limit: number) {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.status, 'sending'), lt(messages.updatedAt, before)))
    .limit(limit);
}
