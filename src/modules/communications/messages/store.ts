import { and, asc, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../../kernel/db.js';
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

/** What a claim took: the messages, now `sending`, and when the tenant's rate held some back, for how long. */
export interface Claim {
  messages: MessageRow[];
  /** Due messages were left queued by the rate limit: seconds until the bucket holds a token again. */
  rateWaitSeconds?: number;
  /** Nothing was due (or other workers hold it all), or the rate held some back: the drain stops here. */
  drained: boolean;
}

/**
 * Claims up to `limit` of the tenant's due queued messages, oldest first, for sending (one attempt more each), no
 * more than the tenant's rate allows. One statement: it locks the due rows (skipping rows another worker holds,
 * so workers share an outbox without waiting), refills the tenant's token bucket by the time since the last claim
 * (by the database's clock, up to one second's worth) and takes a token per message it moves. The bucket row is
 * the tenant's one rate across every process: concurrent claims queue on it, each seeing what the last one left.
 */
export async function claimBatch(
  db: Db,
  tenantId: string,
  limit: number,
  at: Date,
  defaultRate: number,
): Promise<Claim> {
  const rate = sql`(SELECT r FROM rate)`;
  const wanted = sql`(SELECT n FROM wanted)`;
  const refilled = sql`least(${rate},
    b.tokens + greatest(0, extract(epoch FROM now() - b.refilled_at)) * ${rate})`;
  const [r] = await rows<{
    ids: string[] | null;
    due: number;
    tokens: number;
    rate: number;
    granted: number;
  }>(
    db,
    sql`
    WITH rate AS (
      SELECT coalesce((SELECT rate_per_second FROM communication_settings WHERE tenant_id = ${tenantId}),
                      ${defaultRate})::float8 AS r),
    due AS (
      SELECT id FROM messages
       WHERE tenant_id = ${tenantId} AND status = 'queued'
         AND (next_attempt_at IS NULL OR next_attempt_at <= ${at})
       ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED),
    wanted AS (SELECT count(*)::int AS n FROM due),
    bucket AS (
      INSERT INTO message_rate_buckets AS b (tenant_id, tokens, granted, refilled_at)
      SELECT ${tenantId}, rate.r - least(wanted.n, floor(rate.r)), least(wanted.n, floor(rate.r)), now()
        FROM rate, wanted
      ON CONFLICT (tenant_id) DO UPDATE SET
        granted = least(${wanted}, floor(${refilled})),
        tokens = ${refilled} - least(${wanted}, floor(${refilled})),
        refilled_at = greatest(b.refilled_at, now())
      RETURNING b.tokens, b.granted),
    claimed AS (
      UPDATE messages SET status = 'sending', attempts = attempts + 1, updated_at = now()
       WHERE tenant_id = ${tenantId}
         AND id IN (SELECT id FROM due ORDER BY id LIMIT (SELECT granted FROM bucket))
      RETURNING id)
    SELECT (SELECT array_agg(id ORDER BY id)::text[] FROM claimed) AS ids, wanted.n AS due,
           bucket.tokens, bucket.granted, rate.r AS rate
      FROM wanted, bucket, rate`,
  );
  const ids = r?.ids ?? [];
  const claimed = ids.length
    ? await db
        .select()
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), inArray(messages.id, ids)))
        .orderBy(asc(messages.id))
    : [];
  const due = Number(r?.due ?? 0);
  const limited = ids.length < due;
  return {
    messages: claimed,
    // A partial claim is not the end: messages created meanwhile are taken by the next claim of this drain.
    drained: due === 0 || limited,
    ...(limited && { rateWaitSeconds: Math.max(0, 1 - Number(r!.tokens)) / Number(r!.rate) }),
  };
}

/** How one claimed message ended its attempt: what the dispatcher records (in batches, `recordOutcomes`). */
export type DispatchOutcome =
  | { id: string; status: 'sent'; providerMessageId: string }
  /** Back to the queue until `nextAttemptAt`: a transient failure, or a deferral that gives its attempt back. */
  | {
      id: string;
      status: 'queued';
      reason: string;
      nextAttemptAt: Date;
      giveBackAttempt: boolean;
      source: EventSource;
    }
  | { id: string; status: 'failed' | 'undeliverable'; reason: string; source: EventSource };

/**
 * Records a batch of claimed messages' outcomes in one statement: each moves out of `sending` (sent with the
 * vendor's id, queued again with its backoff, failed or undeliverable with the reason) and gets its event. Only a
 * message still `sending` moves, so an outcome is recorded once; a message a status webhook already moved on (it
 * can overtake the send's answer) only gets the vendor's id.
 */
export async function recordOutcomes(
  db: Db,
  tenantId: string,
  outcomes: readonly DispatchOutcome[],
  at: Date,
): Promise<void> {
  if (outcomes.length === 0) return;
  const values = sql.join(
    outcomes.map((o) => {
      const provider = o.status === 'sent' ? o.providerMessageId : null;
      const reason = o.status === 'sent' ? null : o.reason;
      const next = o.status === 'queued' ? o.nextAttemptAt : null;
      const giveBack = o.status === 'queued' && o.giveBackAttempt ? 1 : 0;
      const source = o.status === 'sent' ? 'dispatch' : o.source;
      return sql`(${o.id}::uuid, ${o.status}::text, ${reason}::text, ${provider}::text,
                  ${next}::timestamptz, ${giveBack}::int, ${source}::text, ${uuidv7()}::uuid)`;
    }),
    sql`, `,
  );
  await db.execute(sql`
    WITH v (id, status, reason, provider_message_id, next_attempt_at, give_back, source, event_id) AS (
      VALUES ${values}),
    moved AS (
      UPDATE messages m SET status = v.status, status_reason = v.reason,
             provider_message_id = coalesce(v.provider_message_id, m.provider_message_id),
             next_attempt_at = v.next_attempt_at, attempts = m.attempts - v.give_back, updated_at = now()
        FROM v WHERE m.tenant_id = ${tenantId} AND m.id = v.id AND m.status = 'sending'
      RETURNING m.id),
    overtaken AS (
      UPDATE messages m SET provider_message_id = v.provider_message_id, updated_at = now()
        FROM v WHERE m.tenant_id = ${tenantId} AND m.id = v.id AND v.provider_message_id IS NOT NULL
         AND m.status <> 'sending' AND m.provider_message_id IS NULL
      RETURNING m.id)
    INSERT INTO message_events (tenant_id, id, message_id, status, source, reason, occurred_at)
    SELECT ${tenantId}, v.event_id, v.id, v.status, v.source, v.reason, ${at}
      FROM v JOIN moved ON moved.id = v.id`);
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
