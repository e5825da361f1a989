/**
 * Group commit for statements that can take many items at once: while `maxInFlight` batches are running, new
 * items queue; when one finishes, everything queued (up to `maxBatch`) goes in the next. An idle batcher sends at
 * the end of the current event-loop turn (setImmediate), so a lone item waits microseconds, not a timer, while
 * every item submitted in the same turn joins it. Under load this turns N round trips, statement start-ups and
 * commits into one.
 *
 * Items with the same `key` never share a batch (a later one waits for the next), and an item `alone` says must
 * go by itself. When a batch of several fails, each of its items is run again by itself, so one bad item fails
 * alone and the others are unaffected (a batch is one statement: it wrote nothing).
 */
export interface BatcherOptions<I> {
  maxBatch: number;
  maxInFlight: number;
  key?: (item: I) => string;
  alone?: (item: I) => boolean;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class Batcher<I, O> {
  readonly #queue: Pending<I, O>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(
    private readonly run: (items: readonly I[]) => Promise<O[]>,
    private readonly opts: BatcherOptions<I>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#scheduled && this.#inFlight < this.opts.maxInFlight) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#pump();
        });
      }
    });
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.opts.maxInFlight) {
      const batch = this.#take();
      this.#inFlight++;
      void this.#send(batch, () => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** The next batch from the queue, in arrival order, leaving behind what may not join it. */
  #take(): Pending<I, O>[] {
    const { key, alone, maxBatch } = this.opts;
    const first = this.#queue.shift()!;
    if (alone?.(first.item)) return [first];
    const batch = [first];
    const keys = key ? new Set([key(first.item)]) : null;
    for (let k = 0; k < this.#queue.length && batch.length < maxBatch; ) {
      const p = this.#queue[k]!;
      const id = key?.(p.item);
      if (alone?.(p.item) || (id !== undefined && keys!.has(id))) {
        k++;
        continue;
      }
      keys?.add(id!);
      batch.push(p);
      this.#queue.splice(k, 1);
    }
    return batch;
  }

  /**
   * Runs `batch`; `next` frees its slot and sends what queued meanwhile. On success `next` runs before the results
   * are handed out, a turn later: the next batch is on its way while the callers of this one carry on.
   */
  async #send(batch: Pending<I, O>[], next: () => void): Promise<void> {
    let out: O[];
    try {
      out = await this.run(batch.map((p) => p.item));
    } catch (e) {
      await this.#sendAlone(batch, e);
      next();
      return;
    }
    next();
    setImmediate(() => {
      for (const [k, p] of batch.entries()) p.resolve(out[k]!);
    });
  }

  async #sendAlone(batch: Pending<I, O>[], e: unknown): Promise<void> {
    if (batch.length === 1) {
      batch[0]!.reject(e);
      return;
    }
    for (const p of batch) {
      try {
        const [o] = await this.run([p.item]);
        p.resolve(o!);
      } catch (e1) {
        p.reject(e1);
      }
    }
  }
}
