import { sql } from 'drizzle-orm';
import type { Db, RawQuery } from './db.js';
import type { Logger } from './logging.js';

/**
 * Domain events: a transactional outbox (the `domain_events` table, migration 0011). A module publishes an event
 * in the same statement or transaction as the change it reports, so the change and its event commit together or
 * not at all, and the change never waits for whoever reacts to it. The relay hands events to their subscribers
 * and deletes each once every subscriber took it; a subscriber that fails leaves it for a later attempt. Delivery
 * is at least once (a relay that crashed mid-way hands the same events out again), so every subscriber must be
 * idempotent by the event's id. This file is the only one that touches the table.
 */
export interface DomainEvent<P = Record<string, unknown>> {
  tenantId: string;
  /** Unique per tenant: publishing one id twice keeps the first. */
  id: string;
  /** `<module>.<what happened>`, e.g. `lending.payment_received`. */
  type: string;
  payload: P;
  occurredAt: Date;
}

export type NewDomainEvent<P = object> = Omit<DomainEvent<P>, 'occurredAt'>;

/** A subscriber: takes a batch of events of its type; throws to have them handed out again later. */
export type EventHandler = (events: readonly DomainEvent[]) => Promise<void>;

/**
 * A data-modifying CTE body publishing one event per row of `source` (a write statement's guard joined to its
 * events: no row, no event). An id published already is kept as it was.
 */
export const eventInsertSql = (
  source: string,
  v: { tenant: string; id: string; type: string; payload: string },
): string =>
  `INSERT INTO domain_events (tenant_id, id, type, payload)
   SELECT ${v.tenant}, ${v.id}, ${v.type}, ${v.payload} FROM ${source}
   ON CONFLICT (tenant_id, id) DO NOTHING`;

/** Publishes events in the caller's transaction (`db` may be one). */
export async function publishEvents(db: Db, events: readonly NewDomainEvent[]): Promise<void> {
  for (const e of events)
    await db.execute(
      sql`INSERT INTO domain_events (tenant_id, id, type, payload)
          VALUES (${e.tenantId}, ${e.id}, ${e.type}, ${JSON.stringify(e.payload)}::jsonb)
          ON CONFLICT (tenant_id, id) DO NOTHING`,
    );
}

/** How long a relay holds the events it took; a relay that died lets them go after this. */
const LEASE_SECONDS = 60;
/** A failed event waits 2^attempts seconds (at most 10 minutes) before it is handed out again. */
const retryDelaySeconds = (attempts: number) => Math.min(600, 2 ** attempts);

interface EventRow {
  tenant_id: string;
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: string | Date;
  attempts: number;
}

/**
 * The subscription point and the relay. `subscribe` is called by modules in `create`; `relay` takes due events
 * (FOR UPDATE SKIP LOCKED, so several processes share them), hands them out by type, and deletes the handled.
 * `start` runs it every second and at once after `wake` (a publisher in this process just committed).
 */
export class DomainEvents {
  readonly #handlers = new Map<string, EventHandler[]>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #again = false;

  constructor(private readonly deps: { raw: RawQuery; logger: Logger; batchSize?: number }) {}

  subscribe(type: string, handler: EventHandler): void {
    this.#handlers.set(type, [...(this.#handlers.get(type) ?? []), handler]);
  }

  /** Hands out due events until none are left (or only failing ones); returns how many were handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.relay();
      total += handled;
      if (handled === 0) return total;
    }
  }

  /** One batch: claims due events, hands them to their subscribers, deletes the handled; how many were handled. */
  async relay(): Promise<number> {
    const { raw, logger } = this.deps;
    const limit = this.deps.batchSize ?? 200;
    const { rows } = await raw.query<EventRow>(
      `UPDATE domain_events d SET claimed_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
         FROM (SELECT tenant_id, id FROM domain_events
                WHERE coalesce(claimed_until, '-infinity'::timestamptz) <= now()
                ORDER BY coalesce(claimed_until, '-infinity'::timestamptz), occurred_at
                LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE d.tenant_id = due.tenant_id AND d.id = due.id
       RETURNING d.tenant_id, d.id, d.type, d.payload, d.occurred_at, d.attempts`,
      [limit, LEASE_SECONDS],
    );
    if (rows.length === 0) return 0;
    const byType = new Map<string, DomainEvent[]>();
    for (const r of rows) {
      const e: DomainEvent = {
        tenantId: r.tenant_id,
        id: r.id,
        type: r.type,
        payload: r.payload,
        occurredAt: new Date(r.occurred_at),
      };
      byType.set(r.type, [...(byType.get(r.type) ?? []), e]);
    }
    const done: DomainEvent[] = [];
    const failed: { e: DomainEvent; error: string }[] = [];
    for (const [type, events] of byType) {
      let error: string | undefined;
      for (const handler of this.#handlers.get(type) ?? []) {
        try {
          await handler(events);
        } catch (e) {
          error = String(e);
          logger.error({ err: e, type, events: events.length }, 'domain events: a subscriber failed');
        }
      }
      if (error === undefined) done.push(...events);
      else for (const e of events) failed.push({ e, error });
    }
    if (done.length > 0)
      await raw.query(
        `DELETE FROM domain_events d USING json_to_recordset($1::json) AS x (tenant_id uuid, id uuid)
          WHERE d.tenant_id = x.tenant_id AND d.id = x.id`,
        [JSON.stringify(done.map((e) => ({ tenant_id: e.tenantId, id: e.id })))],
      );
    const attempts = new Map(rows.map((r) => [r.id, r.attempts]));
    for (const { e, error } of failed)
      await raw.query(
        `UPDATE domain_events SET claimed_until = now() + make_interval(secs => $3), last_error = $4
          WHERE tenant_id = $1 AND id = $2`,
        [e.tenantId, e.id, retryDelaySeconds(attempts.get(e.id) ?? 1), error.slice(0, 1000)],
      );
    return done.length;
  }

  /** Relays every `intervalMs`, and at once after `wake`. */
  start(intervalMs = 1000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.wake(), intervalMs);
    this.#timer.unref();
  }

  /** Runs the relay now (or once more after the run in progress), when started. */
  wake(): void {
    if (!this.#timer) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.drain()
      .catch((e: unknown) => {
        this.deps.logger.error({ err: e }, 'domain events: the relay failed');
        return 0;
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Stops relaying; waits for the run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#again = false;
    await this.#running;
  }
}
