import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AlpacaSimulator, startAlpacaSimulator } from '../../sandbox/simulators/alpaca/index.js';
import { enqueueDueSyncs } from '../../src/modules/aggregation/sync/workers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accountsOf, configure, connectAlpaca, get, type Lender, lender } from './helpers.js';

let clock = Date.parse('2025-11-01T15:00:00Z');
let sim: AlpacaSimulator;
let t: TestApp;
let acme: Lender;

beforeAll(async () => {
  sim = await startAlpacaSimulator();
  t = await startTestApp({ jobs: true, now: () => new Date(clock) });
  acme = await lender(t, 'Acme');
  await configure(t, acme, 'alpaca', { base_url: sim.url });
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

interface Run {
  trigger: string;
  status: string;
  snapshot_source: string;
}

async function runsOf(id: string): Promise<Run[]> {
  return (await get<{ data: Run[] }>(t, acme, `/v1/connections/${id}/sync-runs`)).data;
}

async function waitForRuns(id: string, n: number): Promise<Run[]> {
  for (let i = 0; i < 60; i++) {
    const runs = await runsOf(id);
    if (runs.length >= n && runs.every((r) => r.status !== 'running')) return runs;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`fewer than ${n} sync runs after 30 s`);
}

it('due connections are synced by jobs on the queue: first as the initial sync, then as scheduled ones', async () => {
  const r = await connectAlpaca(t, acme, { key_id: sim.key.keyId, secret_key: sim.key.secretKey });
  const id = r.json().connection.id;
  expect(await enqueueDueSyncs(t.ctx.jobs!, t.ctx.aggregation.sync)).toBe(1);
  const [first] = await waitForRuns(id, 1);
  expect(first).toMatchObject({
    trigger: 'initial',
    status: 'succeeded',
    snapshot_source: 'initial_connection',
  });
  // Not due again until a day later.
  expect(await enqueueDueSyncs(t.ctx.jobs!, t.ctx.aggregation.sync)).toBe(0);
  clock += 24 * 60 * 60_000 + 60_000;
  expect(await enqueueDueSyncs(t.ctx.jobs!, t.ctx.aggregation.sync)).toBe(1);
  const [latest] = await waitForRuns(id, 2);
  expect(latest).toMatchObject({
    trigger: 'scheduled',
    status: 'succeeded',
    snapshot_source: 'scheduled_sync',
  });
  const [account] = await accountsOf(t, acme);
  const snaps = await get<{ data: { source: string }[] }>(
    t,
    acme,
    `/v1/accounts/${account!.id}/balance-snapshots`,
  );
  expect(snaps.data.map((s) => s.source)).toEqual(['scheduled_sync', 'initial_connection']);
});
