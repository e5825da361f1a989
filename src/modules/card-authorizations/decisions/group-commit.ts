import type { Logger } from '../../../kernel/logging.js';
import { type BatchItem, type BatchResult, requestKey, shardKey } from './items.js';

/** Applies a batch of items in one transaction; results in item order. */
export interface Decider {
  apply(items: readonly BatchItem[]): Promise<BatchResult[]>;
}

export interface GroupCommitOptions {
  /** Most items per transaction. */
  maxBatch: number;
  /** Independent queues, each with at most one transaction in flight. */
  shards: number;
}

/** An item waiting for (or in) its batch. `dispatched` turns true when its batch is sent. */
export interface Ticket {
  readonly item: BatchItem;
  readonly result: Promise<BatchResult>;
  readonly dispatched: boolean;
}

interface Pending {
  item: BatchItem;
  key: string;
  dispatched: boolean;
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
}

interface Shard {
  queue: Pending[];
  busy: boolean;
  scheduled: boolean;
}

/** PostgreSQL errors that a second attempt can get past: deadlock, serialization, a racing duplicate insert. */
const TRANSIENT = new Set(['40P01', '40001', '23505']);
const isTransient = (e: unknown) => TRANSIENT.has(String((e as { code?: unknown })?.code ?? ''));
const ATTEMPTS = 3;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Group commit: while a shard's transaction is in flight, new items queue; when it commits, everything queued
 * (up to maxBatch) goes in the next transaction. An idle shard sends at the end of the current event-loop turn
 * (setImmediate), so a lone request pays microseconds, not a timer, while every request read in the same turn
 * joins it. (That matters most on PGlite, whose queries run on the event loop itself: sending at once would let
 * each request run its whole transaction before the next one is even read.) A hot line costs one commit per
 * batch instead of one per decision.
 *
 * A batch never holds two items for the same authorization request (the function reads each request once);
 * the later one waits for the next batch, which keeps each request's messages in arrival order.
 */
export class GroupCommit {
  readonly #shards: Shard[];

  constructor(
    private readonly decider: Decider,
    private readonly opts: GroupCommitOptions,
    private readonly logger: Logger,
  ) {
    this.#shards = Array.from({ length: Math.max(1, opts.shards) }, () => ({
      queue: [],
      busy: false,
      scheduled: false,
    }));
  }

  submit(item: BatchItem): Ticket {
    let pending!: Pending;
    const result = new Promise<BatchResult>((resolve, reject) => {
      pending = { item, key: requestKey(item), dispatched: false, resolve, reject };
    });
    const shard = this.#shards[fnv1a(shardKey(item)) % this.#shards.length]!;
    shard.queue.push(pending);
    this.#pump(shard);
    return {
      item,
      result,
      get dispatched() {
        return pending.dispatched;
      },
    };
  }

  /** Items queued or in flight, for shutdown and tests. */
  get backlog(): number {
    return this.#shards.reduce((n, s) => n + s.queue.length + (s.busy ? 1 : 0), 0);
  }

  #pump(shard: Shard): void {
    if (shard.busy || shard.scheduled || shard.queue.length === 0) return;
    shard.scheduled = true;
    setImmediate(() => {
      shard.scheduled = false;
      this.#dispatch(shard);
    });
  }

  #dispatch(shard: Shard): void {
    if (shard.busy || shard.queue.length === 0) return;
    const batch: Pending[] = [];
    const keys = new Set<string>();
    const rest: Pending[] = [];
    for (const p of shard.queue) {
      if (batch.length < this.opts.maxBatch && !keys.has(p.key)) {
        keys.add(p.key);
        batch.push(p);
      } else rest.push(p);
    }
    shard.queue = rest;
    shard.busy = true;
    for (const p of batch) p.dispatched = true;
    void this.#run(batch, () => {
      shard.busy = false;
      // What queued meanwhile goes at once: it was read in earlier turns, there is nothing to wait for.
      this.#dispatch(shard);
    });
  }

  /**
   * Applies `batch`; `next` sends the shard's next batch. On success `next` runs before the results are handed
   * out, and they are handed out a turn later (setImmediate): the next batch is then on its way to PostgreSQL
   * while this process answers the last one's requests, instead of after.
   */
  async #run(batch: Pending[], next: () => void): Promise<void> {
    let results: BatchResult[];
    try {
      results = await this.#attempt(batch.map((p) => p.item));
    } catch (e) {
      await this.#runAlone(batch, e);
      next();
      return;
    }
    next();
    setImmediate(() => {
      for (const [i, p] of batch.entries()) p.resolve(results[i]!);
    });
  }

  /** A failed batch: one bad item must not fail its neighbours, so each is retried alone and only the culprit fails. */
  async #runAlone(batch: Pending[], e: unknown): Promise<void> {
    if (batch.length === 1) {
      batch[0]!.reject(e);
      return;
    }
    this.logger.warn({ err: e, size: batch.length }, 'card decision batch failed; retrying items one by one');
    for (const p of batch) {
      try {
        p.resolve((await this.#attempt([p.item]))[0]!);
      } catch (itemError) {
        p.reject(itemError);
      }
    }
  }

  async #attempt(items: BatchItem[]): Promise<BatchResult[]> {
    items.forEach((item, i) => {
      item.seq = i;
    });
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.decider.apply(items);
      } catch (e) {
        if (attempt >= ATTEMPTS || !isTransient(e)) throw e;
      }
    }
  }
}
