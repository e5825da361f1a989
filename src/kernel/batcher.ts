import { fnv1a } from './text.js';

/**
 * Group commit, for statements that can take many items at once (loan writes, card decisions). Items go to one of
 * `shards` independent queues (by `shardKey`, so related items gather in the same batches); while a shard has
 * `maxInFlight` batches running, new items queue, and when one finishes, everything queued (up to `maxBatch`) goes
 * in the next. An idle shard sends at the end of the current event-loop turn (setImmediate), so a lone item waits
 * microseconds, not a timer, while every item submitted in the same turn joins it. (That matters most on PGlite,
 * whose queries run on the event loop itself: sending at once would let each request run its whole transaction
 * before the next one is even read.) Under load this turns N round trips, statement start-ups and commits into one.
 *
 * Items with the same `key` never share a batch (a later one waits for the next, which keeps their order), and an
 * item `alone` says must go by itself. A batch that fails with an error `retryable` accepts is run again, up to
 * `attempts` times; a batch of several that still fails has each item run again by itself, so one bad item fails
 * alone and the others are unaffected (a batch is one statement or transaction: it wrote nothing).
 *
 * Why the shards, not several batches in flight on one queue: on a hot card line, two batches in flight on one
 * queue split the burst in halves that then wait on each other's row locks (the line's tracker), so each commit
 * carries half the items; a shard per owner keeps each burst in one batch and one transaction.
 */
export interface BatcherOptions<I> {
  maxBatch: number;
  /** Batches one shard may have running at once (default 1). */
  maxInFlight?: number;
  /** Independent queues (default 1). */
  shards?: number;
  shardKey?: (item: I) => string;
  key?: (item: I) => string;
  alone?: (item: I) => boolean;
  /** Errors a second attempt of the same batch can get past (deadlocks, serialization failures). */
  retryable?: (e: unknown) => boolean;
  /** Attempts of a batch when its errors are retryable (default 3). */
  attempts?: number;
  /** Told when a batch of several fails and its items are retried one by one. */
  onSplit?: (e: unknown, size: number) => void;
}

/** An item waiting for (or in) its batch. `dispatched` turns true when its batch is sent. */
export interface Ticket<I, O> {
  readonly item: I;
  readonly result: Promise<O>;
  readonly dispatched: boolean;
}

interface Pending<I, O> {
  item: I;
  key: string | undefined;
  dispatched: boolean;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

interface Shard<I, O> {
  queue: Pending<I, O>[];
  inFlight: number;
  scheduled: boolean;
}

export class Batcher<I, O> {
  readonly #shards: Shard<I, O>[];
  readonly #maxInFlight: number;

  constructor(
    private readonly run: (items: readonly I[]) => Promise<O[]>,
    private readonly opts: BatcherOptions<I>,
  ) {
    this.#maxInFlight = opts.maxInFlight ?? 1;
    this.#shards = Array.from({ length: Math.max(1, opts.shards ?? 1) }, () => ({
      queue: [],
      inFlight: 0,
      scheduled: false,
    }));
  }

  submit(item: I): Ticket<I, O> {
    let pending!: Pending<I, O>;
    const result = new Promise<O>((resolve, reject) => {
      pending = { item, key: this.opts.key?.(item), dispatched: false, resolve, reject };
    });
    const shards = this.#shards;
    const shard =
      shards.length === 1 || !this.opts.shardKey
        ? shards[0]!
        : shards[fnv1a(this.opts.shardKey(item)) % shards.length]!;
    shard.queue.push(pending);
    if (!shard.scheduled && shard.inFlight < this.#maxInFlight) {
      shard.scheduled = true;
      setImmediate(() => {
        shard.scheduled = false;
        this.#pump(shard);
      });
    }
    return {
      item,
      result,
      get dispatched() {
        return pending.dispatched;
      },
    };
  }

  /** Items queued, plus batches in flight, for shutdown and tests. */
  get backlog(): number {
    return this.#shards.reduce((n, s) => n + s.queue.length + s.inFlight, 0);
  }

  #pump(shard: Shard<I, O>): void {
    while (shard.queue.length > 0 && shard.inFlight < this.#maxInFlight) {
      const batch = this.#take(shard);
      shard.inFlight++;
      for (const p of batch) p.dispatched = true;
      void this.#send(batch, () => {
        shard.inFlight--;
        // What queued meanwhile goes at once: it was read in earlier turns, there is nothing to wait for.
        this.#pump(shard);
      });
    }
  }

  /** The next batch, in arrival order, in one pass over the queue; what may not join it stays queued. */
  #take(shard: Shard<I, O>): Pending<I, O>[] {
    const { alone, maxBatch } = this.opts;
    const queue = shard.queue;
    if (alone?.(queue[0]!.item)) return [queue.shift()!];
    const batch: Pending<I, O>[] = [];
    const rest: Pending<I, O>[] = [];
    const keys = new Set<string>();
    for (const p of queue) {
      if (batch.length < maxBatch && !(p.key !== undefined && keys.has(p.key)) && !alone?.(p.item)) {
        if (p.key !== undefined) keys.add(p.key);
        batch.push(p);
      } else rest.push(p);
    }
    shard.queue = rest;
    return batch;
  }

  /**
   * Runs `batch`; `next` frees its slot and sends what queued meanwhile. On success `next` runs before the results
   * are handed out, and they are handed out a turn later (setImmediate): the next batch is then on its way while
   * this process answers the last one's callers, instead of after.
   */
  async #send(batch: Pending<I, O>[], next: () => void): Promise<void> {
    let out: O[];
    try {
      out = await this.#attempt(batch.map((p) => p.item));
    } catch (e) {
      await this.#sendAlone(batch, e);
      next();
      return;
    }
    next();
    setImmediate(() => {
      for (let k = 0; k < batch.length; k++) batch[k]!.resolve(out[k]!);
    });
  }

  async #sendAlone(batch: Pending<I, O>[], e: unknown): Promise<void> {
    if (batch.length === 1) {
      batch[0]!.reject(e);
      return;
    }
    this.opts.onSplit?.(e, batch.length);
    for (const p of batch) {
      try {
        p.resolve((await this.#attempt([p.item]))[0]!);
      } catch (itemError) {
        p.reject(itemError);
      }
    }
  }

  async #attempt(items: I[]): Promise<O[]> {
    const attempts = this.opts.retryable ? (this.opts.attempts ?? 3) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(items);
      } catch (e) {
        if (attempt >= attempts || !this.opts.retryable?.(e)) throw e;
      }
    }
  }
}
