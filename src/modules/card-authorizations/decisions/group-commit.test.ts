import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../kernel/logging.js';
import { type Decider, groupCommit } from './group-commit.js';
import type { BatchItem, BatchResult } from './items.js';

const logger = createLogger('silent');

const item = (externalId: string, owner = 'o1', messageId = `${externalId}-${Math.random()}`): BatchItem => ({
  seq: -1,
  tenant_id: 't',
  provider: 'generic',
  message_id: messageId,
  kind: 'authorization',
  amount: 1,
  lines: [],
  new_request_id: 'r',
  message_row_id: 'm',
  expires_at: '',
  occurred_at: '',
  external_id: externalId,
  owner_type: 'customer',
  owner_ref: owner,
});

/** A full turn of the event loop: an idle shard sends its batch at the end of the turn it was woken in. */
const turn = () => new Promise((r) => setTimeout(r, 0));

const approved = (): BatchResult => ({
  replay: false,
  approved: true,
  reasonCode: 'approved',
  approvedAmount: 1,
  requestId: null,
  funded: false,
});

/** A decider whose transactions finish when the test says so. */
class ManualDecider implements Decider {
  batches: string[][] = [];
  #release: (() => void)[] = [];
  fail?: (items: readonly BatchItem[]) => unknown;

  apply(items: readonly BatchItem[]): Promise<BatchResult[]> {
    this.batches.push(items.map((i) => i.external_id!));
    const seqs = items.map((i) => i.seq);
    expect(seqs).toEqual(items.map((_, i) => i));
    return new Promise((resolve, reject) => {
      this.#release.push(() => {
        const e = this.fail?.(items);
        if (e) reject(e);
        else resolve(items.map(approved));
      });
    });
  }

  /** Lets the oldest transaction in flight commit, and the next one start. */
  async commit(): Promise<void> {
    this.#release.shift()?.();
    await turn();
  }
}

describe('group commit', () => {
  it('sends the next batch before it hands out the results of the one that committed', async () => {
    const d = new ManualDecider();
    const g = groupCommit(d, { maxBatch: 10, shards: 1 }, logger);
    const first = g.submit(item('a'));
    await turn();
    const second = g.submit(item('b'));
    let sentBeforeAnswer: string[][] = [];
    const answered = first.result.then(() => {
      sentBeforeAnswer = [...d.batches];
    });
    await d.commit();
    await answered;
    expect(sentBeforeAnswer).toEqual([['a'], ['b']]);
    await d.commit();
    expect(await second.result).toMatchObject({ approved: true });
  });

  it('sends a lone item at the end of the turn, and batches what queues behind a transaction in flight', async () => {
    const d = new ManualDecider();
    const g = groupCommit(d, { maxBatch: 3, shards: 1 }, logger);
    const first = g.submit(item('a'));
    expect(first.dispatched).toBe(false);
    await turn();
    expect(first.dispatched).toBe(true);
    const rest = ['b', 'c', 'd', 'e'].map((id) => g.submit(item(id)));
    expect(rest.some((t) => t.dispatched)).toBe(false);
    expect(g.backlog).toBe(5);
    await d.commit();
    expect(await first.result).toMatchObject({ approved: true });
    expect(d.batches).toEqual([['a'], ['b', 'c', 'd']]);
    await d.commit();
    await d.commit();
    expect(d.batches).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    await Promise.all(rest.map((t) => t.result));
    expect(g.backlog).toBe(0);
  });

  it('batches what arrives in the same turn', async () => {
    const d = new ManualDecider();
    const g = groupCommit(d, { maxBatch: 10, shards: 1 }, logger);
    for (const id of ['a', 'b', 'c']) g.submit(item(id));
    await turn();
    expect(d.batches).toEqual([['a', 'b', 'c']]);
  });

  it('never puts two messages of one authorization in a batch, and keeps their order', async () => {
    const d = new ManualDecider();
    const g = groupCommit(d, { maxBatch: 10, shards: 1 }, logger);
    g.submit(item('x'));
    await turn();
    for (const id of ['a', 'a', 'b', 'a', 'c']) g.submit(item(id));
    await d.commit();
    await d.commit();
    await d.commit();
    expect(d.batches).toEqual([['x'], ['a', 'b', 'c'], ['a'], ['a']]);
  });

  it('spreads owners over shards, each with its own transaction in flight', async () => {
    const d = new ManualDecider();
    const g = groupCommit(d, { maxBatch: 10, shards: 8 }, logger);
    const owners = Array.from({ length: 40 }, (_, i) => `owner-${i}`);
    for (const o of owners) g.submit(item(`auth-${o}`, o));
    await turn();
    // Several shards started a transaction without waiting for each other.
    expect(d.batches.length).toBeGreaterThan(1);
    expect(d.batches.length).toBeLessThanOrEqual(8);
  });

  it('retries a transient failure (deadlock, serialization, racing duplicate)', async () => {
    const d = new ManualDecider();
    let failures = 2;
    d.fail = () =>
      failures-- > 0 ? Object.assign(new Error('deadlock detected'), { code: '40P01' }) : undefined;
    const g = groupCommit(d, { maxBatch: 10, shards: 1 }, logger);
    const t = g.submit(item('a'));
    await turn();
    for (let i = 0; i < 3; i++) await d.commit();
    expect(await t.result).toMatchObject({ approved: true });
    expect(d.batches).toEqual([['a'], ['a'], ['a']]);
  });

  it('fails only the item that cannot be applied, not its neighbours', async () => {
    const d = new ManualDecider();
    d.fail = (items) =>
      items.some((i) => i.external_id === 'bad') ? new Error('check violation') : undefined;
    const g = groupCommit(d, { maxBatch: 10, shards: 1 }, logger);
    g.submit(item('x'));
    await turn();
    const tickets = ['a', 'bad', 'c'].map((id) => g.submit(item(id)));
    const settled = Promise.allSettled(tickets.map((t) => t.result));
    await d.commit();
    await d.commit();
    for (let i = 0; i < 3; i++) await d.commit();
    expect((await settled).map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(d.batches).toEqual([['x'], ['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });
});
