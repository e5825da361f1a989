import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A batch runner that records the batches it got and answers each item doubled, after `gate` opens. */
function recorder(opts: { fail?: (items: readonly number[]) => boolean } = {}) {
  const batches: number[][] = [];
  let open!: () => void;
  let gate = new Promise<void>((r) => {
    open = r;
  });
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    await gate;
    if (opts.fail?.(items)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((n) => n * 2);
  };
  const release = () => {
    open();
    gate = Promise.resolve();
  };
  return { batches, run, release };
}

describe('Batcher', () => {
  it('sends the items of one event-loop turn together, and those queued meanwhile in the next batch', async () => {
    const r = recorder();
    const b = new Batcher(r.run, { maxBatch: 10, maxInFlight: 1 });
    const first = [1, 2, 3].map((n) => b.submit(n).result);
    await new Promise((res) => setImmediate(res));
    const second = [4, 5].map((n) => b.submit(n).result);
    r.release();
    expect(await Promise.all([...first, ...second])).toEqual([2, 4, 6, 8, 10]);
    expect(r.batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('never puts more than maxBatch items, or two items of one key, in a batch; an item `alone` goes alone', async () => {
    const r = recorder();
    const b = new Batcher(r.run, {
      maxBatch: 3,
      maxInFlight: 1,
      key: (n) => String(n % 10),
      alone: (n) => n >= 100,
    });
    const all = [1, 11, 2, 100, 3, 4, 5].map((n) => b.submit(n).result);
    r.release();
    await Promise.all(all);
    expect(r.batches).toEqual([[1, 2, 3], [11, 4, 5], [100]]);
  });

  it('keeps at most maxInFlight batches running', async () => {
    const r = recorder();
    const b = new Batcher(r.run, { maxBatch: 1, maxInFlight: 2 });
    const all = [1, 2, 3].map((n) => b.submit(n).result);
    await new Promise((res) => setImmediate(res));
    expect(r.batches).toEqual([[1], [2]]);
    r.release();
    await Promise.all(all);
    expect(r.batches).toEqual([[1], [2], [3]]);
  });

  it('runs each item of a failed batch again by itself, so only the bad one fails', async () => {
    const r = recorder({ fail: (items) => items.includes(2) });
    const b = new Batcher(r.run, { maxBatch: 10, maxInFlight: 1 });
    const all = [1, 2, 3].map((n) => b.submit(n).result.then(String, (e: Error) => e.message));
    r.release();
    expect(await Promise.all(all)).toEqual(['2', 'batch 2 failed', '6']);
    expect(r.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
