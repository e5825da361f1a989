import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SendGridSimulator, startSendGridSimulator } from '../../sandbox/simulators/sendgrid/index.js';
import { type Context, createContext } from '../../src/context.js';
import { rows } from '../../src/kernel/db.js';
import { createLogger } from '../../src/kernel/logging.js';
import type { Dispatcher } from '../../src/modules/communications/dispatch/dispatcher.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sendGridOutbox } from '../helpers/outbox.js';
import { reminder } from './harness.js';

// The dispatcher as several worker processes run it against one database: every claimed message is sent and
// recorded exactly once, and the tenant's rate holds across the processes together. On PostgreSQL the second node
// is a second context (its own pool, resolver and provider clients); PGlite is held by one process, so there the
// nodes are concurrent drains through its one connection (the dispatcher keeps no state of its own either way).
let t: TestApp;
let sendgrid: SendGridSimulator;
let other: Context | undefined;
let nodes: Dispatcher[];
beforeAll(async () => {
  t = await startTestApp();
  sendgrid = await startSendGridSimulator();
  if (process.env.PLINTH_TEST_DATABASE_URL)
    other = await createContext({ config: t.ctx.config, logger: createLogger('warn') });
  nodes = [t.ctx.communications.dispatcher, (other ?? t.ctx).communications.dispatcher];
});
afterAll(async () => {
  await other?.close();
  await t.close();
  await sendgrid.close();
});

async function tenantWithOutbox(name: string, ratePerSecond: number, messages: number) {
  const { id } = await t.tenant(name);
  const scope = await sendGridOutbox(t.ctx, id, sendgrid, ratePerSecond);
  // No job queue in this app: the messages stay queued until a test drains them.
  for (let i = 0; i < messages; i++) {
    const r = await t.ctx.communications.messages.create(scope, {
      channel: 'email',
      template: 'payment_reminder',
      variables: { ...reminder, customer: { name: 'Ada' } },
      to: { email: `${name}-${i}@example.com` },
    });
    if (!r.ok || r.value.status !== 'queued') throw new Error(`message ${i}: ${JSON.stringify(r)}`);
  }
  return id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Drains the tenant's outbox through `node` until `until` says stop; the messages it recorded sent. */
async function drainLoop(node: Dispatcher, tenantId: string, until: () => boolean, batch = 16) {
  let sent = 0;
  while (!until()) {
    const o = await node.drain(tenantId, { batch, concurrency: 4 });
    sent += o.sent;
    if (o.laterSeconds === undefined) return sent;
    await sleep(Math.min(100, o.laterSeconds * 1000));
  }
  return sent;
}

const statusCounts = async (tenantId: string) =>
  Object.fromEntries(
    (
      await rows<{ status: string; n: number }>(
        t.ctx.database.db,
        sql`SELECT status, count(*)::int AS n FROM messages WHERE tenant_id = ${tenantId} GROUP BY status`,
      )
    ).map((r) => [r.status, r.n]),
  );

describe('dispatch across worker processes', () => {
  it('sends and records each message exactly once while three drains share the outbox and sends fail', async () => {
    const tenantId = await tenantWithOutbox('once', 10_000, 90);
    const before = sendgrid.messages.length;
    // Refused (400: failed, not retried) and unavailable (503: queued again after a backoff) answers.
    sendgrid.failWith({ status: 400, times: 3 });
    sendgrid.failWith({ status: 503, times: 4 });
    const deadline = Date.now() + 30_000;
    const sent = await Promise.all(
      [nodes[0]!, nodes[1]!, nodes[0]!].map((n) => drainLoop(n, tenantId, () => Date.now() > deadline)),
    );
    expect(await statusCounts(tenantId)).toEqual({ sent: 87, failed: 3 });
    expect(sent.reduce((a, b) => a + b, 0)).toBe(87);

    // The vendor took each sent message once, under the id Plinth recorded.
    const taken = sendgrid.messages.slice(before);
    expect(taken).toHaveLength(87);
    const recorded = await rows<{
      id: string;
      provider_message_id: string;
      attempts: number;
      events: string;
    }>(
      t.ctx.database.db,
      sql`SELECT m.id, m.provider_message_id, m.attempts,
                 string_agg(e.status || '/' || e.source, ',' ORDER BY e.id) AS events
            FROM messages m JOIN message_events e ON e.tenant_id = m.tenant_id AND e.message_id = m.id
           WHERE m.tenant_id = ${tenantId} GROUP BY m.tenant_id, m.id`,
    );
    const byVendorId = new Map(taken.map((m) => [m.messageId, m]));
    for (const m of recorded) {
      if (m.events.endsWith('sent/dispatch')) {
        expect(byVendorId.get(m.provider_message_id)?.request).toMatchObject({
          custom_args: { plinth_message_id: m.id },
        });
        // Queued, then at most one transient failure put back, then sent once.
        expect(m.events).toMatch(/^queued\/api,(queued\/dispatch,)?sent\/dispatch$/);
        expect(m.attempts).toBe(m.events.includes('queued/dispatch') ? 2 : 1);
      } else {
        expect(m.events).toBe('queued/api,failed/dispatch');
        expect(m.attempts).toBe(1);
      }
    }
    expect(recorded.filter((m) => m.events.includes('queued/dispatch'))).toHaveLength(4);
  });

  it('holds the tenant to its rate across the processes together, not per process', async () => {
    const rate = 20;
    const tenantId = await tenantWithOutbox('rate', rate, 150);
    const started = performance.now();
    const window = 2500;
    const sent = await Promise.all(
      nodes.map((n) => drainLoop(n, tenantId, () => performance.now() - started > window, 8)),
    );
    const seconds = (performance.now() - started) / 1000;
    const total = sent[0]! + sent[1]!;
    // A full bucket (one second's worth), then the rate: a bucket per process would let through twice this.
    expect(total).toBeLessThanOrEqual(rate + Math.ceil(rate * seconds) + 1);
    expect(total).toBeGreaterThan(rate);
    expect(sent.every((n) => n > 0)).toBe(true);
    expect((await statusCounts(tenantId)).sent).toBe(total);
  });
});
