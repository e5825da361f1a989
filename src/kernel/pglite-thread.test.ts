import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation, openDatabase } from './db.js';
import { type EmbeddedClient, openPgliteThread } from './pglite-thread.js';

describe('the embedded database in its own thread', () => {
  let client: EmbeddedClient;
  beforeAll(async () => {
    client = await openPgliteThread(undefined);
    await client.exec('CREATE TABLE t (id int PRIMARY KEY, note text, at timestamptz DEFAULT now())');
  }, 60_000);
  afterAll(() => client.close());

  it('leaves the event loop free while a long statement runs', { timeout: 60_000 }, async () => {
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const database = await openDatabase({ url: 'memory', dataDir: '' });
    const started = performance.now();
    await database.raw.query(
      'SELECT count(*) FROM generate_series(1, 3000000) g, LATERAL (SELECT md5(g::text)) m',
    );
    const took = performance.now() - started;
    clearInterval(ticker);
    await database.close();
    // In the serving thread the statement blocked the loop for all of `took`; here only the scheduler's noise
    // (2 busy cores) delays a tick.
    expect(took).toBeGreaterThan(300);
    expect(longestGap).toBeLessThan(took / 3);
  });

  it('commits a transaction whose callback succeeds and rolls back one that throws', async () => {
    await client.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id, note) VALUES ($1, $2)', [1, 'kept']);
    });
    await expect(
      client.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id, note) VALUES ($1, $2)', [2, 'dropped']);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    const { rows } = await client.query<{ id: number }>('SELECT id FROM t ORDER BY id');
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('holds other calls until an open transaction ends, as one connection does', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const tx = client.transaction(async (t) => {
      await t.query('UPDATE t SET note = $1 WHERE id = 1', ['in transaction']);
      await held;
      order.push('commit');
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = client.query<{ note: string }>('SELECT note FROM t WHERE id = 1').then((r) => {
      order.push('outside');
      return r.rows[0]?.note;
    });
    await new Promise((r) => setTimeout(r, 50));
    release();
    await tx;
    expect(await outside).toBe('in transaction');
    expect(order).toEqual(['commit', 'outside']);
  });

  it("returns the server's errors with the fields callers branch on", async () => {
    const e = await client.query('INSERT INTO t (id) VALUES (1)').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as { code?: string }).code).toBe('23505');
    expect(isUniqueViolation(e, 't_pkey')).toBe(true);
  });

  it('returns dates and times as text when asked (as drizzle asks) and parsed otherwise', async () => {
    const parsed = await client.query<{ at: unknown }>('SELECT at FROM t WHERE id = 1');
    expect(parsed.rows[0]?.at).toBeInstanceOf(Date);
    const text = await client.query<unknown[]>('SELECT at FROM t WHERE id = 1', [], {
      rowMode: 'array',
      parsers: { 1184: (v: string) => v },
    });
    expect(typeof text.rows[0]?.[0]).toBe('string');
  });

  it('delivers notifications to each listener until it stops listening', async () => {
    const got: string[] = [];
    const stop = await client.listen('plinth_test', (p) => got.push(p));
    await client.query("SELECT pg_notify('plinth_test', 'one')");
    await expect.poll(() => got).toEqual(['one']);
    await stop();
    await client.query("SELECT pg_notify('plinth_test', 'two')");
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['one']);
  });

  it('opens a copy of a dumped database, independent of the original', async () => {
    const image = await client.dump();
    const copy = await openPgliteThread(undefined, image);
    try {
      await copy.query('INSERT INTO t (id, note) VALUES ($1, $2)', [900, 'only in the copy']);
      const seen = async (c: EmbeddedClient) =>
        (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = 900')).rows[0]?.n;
      expect(await seen(copy)).toBe(1);
      expect(await seen(client)).toBe(0);
    } finally {
      await copy.close();
    }
  });

  it("opens each in-memory database empty, though later ones start from the first one's image", async () => {
    const first = await openDatabase({ url: 'memory', dataDir: '' });
    await first.raw.query('CREATE TABLE written_after_open (id int)');
    const second = await openDatabase({ url: 'memory', dataDir: '' });
    try {
      const tables = await second.raw.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(tables.rows[0]?.n).toBe(0);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
