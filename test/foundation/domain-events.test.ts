import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/kernel/db.js';
import { type DomainEvent, DomainEvents, publishEvents } from '../../src/kernel/events.js';
import { uuidv7 } from '../../src/kernel/ids.js';
import { createLogger } from '../../src/kernel/logging.js';
import { migrate } from '../../src/kernel/migrate.js';
import { testDatabaseUrl } from '../helpers/database.js';

// The kernel's transactional outbox (kernel/events.ts): at-least-once delivery to every subscriber of a type,
// deleted once all took it, kept (with its error, for a later attempt) when one failed, never handed to two relays
// at once.
let database: Database;
let drop: () => Promise<void>;
const logger = createLogger('silent');
const tenantId = '01900000-0000-7000-8000-000000000001';

beforeAll(async () => {
  const db = await testDatabaseUrl();
  drop = db.drop;
  database = await openDatabase({ url: db.url, dataDir: '/tmp/plinth-test-unused' });
  await migrate(database);
});
afterAll(async () => {
  await database.close();
  await drop();
});

const pending = async () =>
  (
    await database.raw.query<{ id: string; attempts: number; last_error: string | null }>(
      'SELECT id, attempts, last_error FROM domain_events ORDER BY occurred_at',
    )
  ).rows;

const event = (type: string) => ({ tenantId, id: uuidv7(), type, payload: { n: 1 } });

describe('domain events', () => {
  it('hands each event to every subscriber of its type, then deletes it; an id published twice is kept once', async () => {
    const events = new DomainEvents({ raw: database.raw, logger });
    const a: DomainEvent[] = [];
    const b: DomainEvent[] = [];
    events.subscribe('test.a', async (es) => void a.push(...es));
    events.subscribe('test.a', async (es) => void b.push(...es));
    const e = event('test.a');
    await publishEvents(database.db, [e, e, event('test.unheard')]);
    expect(await events.drain()).toBe(2);
    expect(a.map((x) => x.id)).toEqual([e.id]);
    expect(b.map((x) => x.payload)).toEqual([{ n: 1 }]);
    expect(await pending()).toEqual([]);
  });

  it('keeps an event a subscriber failed on, with the error, and hands it out again later', async () => {
    const events = new DomainEvents({ raw: database.raw, logger });
    let fail = true;
    const seen: string[] = [];
    events.subscribe('test.flaky', async (es) => {
      if (fail) throw new Error('subscriber down');
      seen.push(...es.map((x) => x.id));
    });
    const e = event('test.flaky');
    await publishEvents(database.db, [e]);
    expect(await events.drain()).toBe(0);
    expect(await pending()).toEqual([{ id: e.id, attempts: 1, last_error: 'Error: subscriber down' }]);
    // Its retry is due in 2 seconds; a relay before then leaves it.
    fail = false;
    expect(await events.relay()).toBe(0);
    await database.raw.query('UPDATE domain_events SET claimed_until = now()');
    expect(await events.drain()).toBe(1);
    expect(seen).toEqual([e.id]);
    expect(await pending()).toEqual([]);
  });

  it('two relays running at once never hand out one event twice', async () => {
    const seen: string[] = [];
    const relays = [0, 1].map(() => {
      const r = new DomainEvents({ raw: database.raw, logger, batchSize: 7 });
      r.subscribe('test.shared', async (es) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(...es.map((x) => x.id));
      });
      return r;
    });
    const published = Array.from({ length: 60 }, () => event('test.shared'));
    await publishEvents(database.db, published);
    const counts = await Promise.all(relays.map((r) => r.drain()));
    expect(counts.reduce((x, y) => x + y)).toBe(60);
    expect(new Set(seen).size).toBe(60);
    expect(seen).toHaveLength(60);
  });
});
