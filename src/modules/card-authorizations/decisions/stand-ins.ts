import type { Logger } from '../../../kernel/logging.js';
import type { GroupCommit } from './group-commit.js';
import type { BatchItem } from './items.js';

/** What the relay told the network on its fallback. */
export type Told = 'approve' | 'decline';

/** Stand-ins kept in memory at most; beyond, their clearing or the hold expiry settles them. */
const MAX_PENDING = 100_000;
/** Stand-ins sent together in one round of retries (group commit batches them). */
const ROUND = 512;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;

/**
 * Stand-in answers: what the relay told the network on its fallback, when the books do not hold it yet. A decision
 * whose outcome is unknown (the database failed, or answered after the deadline) is booked here as the network was
 * told: the message again, carrying the answer (`told`), so its transaction applies the fallback as its decision, or,
 * when the first transaction had committed after all (a replay), a `reconcile` that makes the books match the
 * answer. Each is retried with backoff (250 ms doubling to 30 s) until the database takes it, for as long as the
 * process lives. Should the process die first, the platform's own messages still converge: a clearing always posts,
 * and an unused hold is released by the expiry.
 */
export class StandIns {
  #queue: BatchItem[] = [];
  #applying = 0;
  #timer: NodeJS.Timeout | undefined;
  #delay = 0;
  #closed = false;

  constructor(
    private readonly deps: {
      commit: GroupCommit;
      logger: Logger;
      /** Called when a booking queued a loan draw, so the funding worker runs soon. */
      onFunded: () => void;
    },
  ) {}

  /** Books `item` as the network was told: its own transaction failed, or its outcome is unknown. */
  book(item: BatchItem, told: Told): void {
    this.#add({ ...item, told });
  }

  /** Makes the books match the answer after a transaction that decided `item` without knowing it. */
  reconcile(item: BatchItem, told: Told): void {
    this.#add({ ...item, kind: 'reconcile', told });
  }

  /** Stand-ins not booked yet (waiting or being applied). */
  get pending(): number {
    return this.#queue.length + this.#applying;
  }

  /** Stops retrying; what is left is settled by its clearing or the hold expiry. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    if (this.pending > 0)
      this.deps.logger.error(
        { unbooked: this.pending },
        'stopping with stand-in answers not booked; their clearings or the hold expiry will settle them',
      );
  }

  #add(item: BatchItem): void {
    if (this.#closed || this.#queue.length >= MAX_PENDING) {
      this.deps.logger.error(
        { tenantId: item.tenant_id, messageId: item.message_id },
        'cannot keep a stand-in answer to book; its clearing or the hold expiry will settle it',
      );
      return;
    }
    this.#queue.push(item);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || this.#applying > 0 || this.#closed || this.#queue.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#round();
    }, this.#delay);
    // Retries never keep a stopping process alive: what is left is settled by clearings and the expiry.
    this.#timer.unref();
  }

  async #round(): Promise<void> {
    const round = this.#queue.splice(0, ROUND);
    this.#applying = round.length;
    const outcomes = await Promise.allSettled(round.map((item) => this.#apply(item)));
    this.#applying = 0;
    const failed = round.filter((_, i) => outcomes[i]!.status === 'rejected');
    if (failed.length > 0) {
      this.#queue.unshift(...failed);
      this.#delay = Math.min(Math.max(this.#delay * 2, FIRST_RETRY_MS), MAX_RETRY_MS);
      const first = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      this.deps.logger.warn(
        { err: first.reason, waiting: this.#queue.length, retryInMs: this.#delay },
        'stand-in answers wait for the database to be booked',
      );
    } else this.#delay = 0;
    this.#schedule();
  }

  async #apply(item: BatchItem): Promise<void> {
    const r = await this.deps.commit.submit(item).result;
    if (r.funded) this.deps.onFunded();
    // The message was stored after all, with the engine's own decision: make the books match the answer.
    if (r.replay && item.kind !== 'reconcile')
      await this.deps.commit.submit({ ...item, kind: 'reconcile' }).result;
  }
}
