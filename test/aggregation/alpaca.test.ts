import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlpacaSimulator,
  nonTrade,
  startAlpacaSimulator,
} from '../../sandbox/simulators/alpaca/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accountsOf, configure, connectAlpaca, get, type Lender, lender, transactionsOf } from './helpers.js';

const SECOND_KEY = { keyId: 'PKSECONDKEY000000002', secretKey: 'second0secret0key0for0the0alpaca0simulator' };
let clock = Date.parse('2025-11-01T15:00:00Z');
let sim: AlpacaSimulator;
let t: TestApp;
let acme: Lender;
let connectionId: string;

beforeAll(async () => {
  sim = await startAlpacaSimulator();
  sim.keys.push({ ...SECOND_KEY });
  t = await startTestApp({ now: () => new Date(clock), env: { LOG_LEVEL: 'trace' } });
  acme = await lender(t, 'Acme');
  await configure(t, acme, 'alpaca', { environment: 'paper', base_url: sim.url });
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

const connect = (l: Lender, credentials: Record<string, unknown>) => connectAlpaca(t, l, credentials);

const sync = (id: string, body: Record<string, unknown> = {}) =>
  t.call('POST', `/v1/connections/${id}/sync`, { key: acme.key, body });

describe('Alpaca: API keys', () => {
  it('rejected keys fail the connection with the provider reason, and keep nothing', async () => {
    const r = await connect(acme, { key_id: sim.key.keyId, secret_key: 'wrong-secret-LEAKCANARY' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      code: 'invalid_credentials',
      detail: 'Alpaca rejected the API key and secret (HTTP 401, code 40110000)',
      provider_status: 401,
      provider_code: '40110000',
    });
    const failed = await get<{ status: string; status_reason: string }>(
      t,
      acme,
      `/v1/connections/${r.json().connection_id}`,
    );
    expect(failed).toMatchObject({ status: 'failed', status_reason: expect.stringContaining('40110000') });
  });

  it('malformed credentials are a 422 naming the field', async () => {
    const r = await connect(acme, { key_id: sim.key.keyId });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([expect.objectContaining({ path: 'credentials.secret_key' })]);
  });

  it('valid keys are checked with Alpaca on connect, and the connection is active', async () => {
    const r = await connect(acme, { key_id: sim.key.keyId, secret_key: sim.key.secretKey });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      connection: { status: 'active', auth_type: 'api_key' },
      authorization_url: null,
    });
    expect(JSON.stringify(r.json())).not.toContain(sim.key.secretKey);
    connectionId = r.json().connection.id;
    const listed = await get<{ data: { status: string }[] }>(
      t,
      acme,
      `/v1/connections?customer_id=${acme.customerId}`,
    );
    expect(listed.data.map((c) => c.status)).toEqual(['active', 'failed']);
    const other = await lender(t, 'Other');
    expect(
      (await t.call('GET', `/v1/connections?customer_id=${acme.customerId}`, { key: other.key })).statusCode,
    ).toBe(404);
  });
});

describe('Alpaca: sync', () => {
  it('brings the account, every page of activities (fills and non-trade) and the positions', async () => {
    const r = await sync(connectionId, { start_date: '2025-01-01' });
    expect(r.statusCode).toBe(200);
    expect(r.json().sync_run).toMatchObject({ status: 'succeeded', trigger: 'initial' });
    const [account] = await accountsOf(t, acme);
    expect(account).toMatchObject({ account_type: 'brokerage', balance: 3247335 });
    const txns = await transactionsOf(t, acme, account!.id);
    const expected = sim.data.activities.filter((a) => {
      const day = String(a.date ?? a.transaction_time).slice(0, 10);
      return day >= '2025-01-01';
    }).length;
    expect(txns.length).toBe(expected);
    expect(expected).toBeGreaterThan(200); // more than two pages of 100
    const types = new Set(txns.map((x) => (x as unknown as { transaction_type: string }).transaction_type));
    expect([...types].sort()).toEqual(expect.arrayContaining(['fee', 'income', 'trade', 'transfer']));
    const holdings = await get<{ data: unknown[] }>(t, acme, `/v1/accounts/${account!.id}/holdings`);
    expect(holdings.data).toHaveLength(sim.data.positions.length);
  });

  it('a pending activity settles in place when Alpaca reports it executed', async () => {
    clock += 10 * 60_000;
    const pending = {
      ...nonTrade({ type: 'CSD', date: '2025-10-30', netAmount: '200', description: 'ACH deposit' }),
      status: 'pending',
    };
    sim.addActivities(pending);
    await sync(connectionId);
    const [account] = await accountsOf(t, acme);
    const find = async () =>
      (await transactionsOf(t, acme, account!.id)).filter((x) => x.provider_transaction_id === pending.id);
    expect(await find()).toEqual([expect.objectContaining({ status: 'pending', amount: 20000 })]);
    pending.status = 'executed';
    clock += 10 * 60_000;
    const r = await sync(connectionId);
    expect(r.json().sync_run.result).toMatchObject({ transactions_updated: 1, transactions_imported: 0 });
    expect(await find()).toEqual([expect.objectContaining({ status: 'settled', amount: 20000 })]);
  });

  it('a key withdrawn at Alpaca revokes the connection; new keys bring it back', async () => {
    clock += 10 * 60_000;
    sim.keys.splice(0, 1);
    const r = await sync(connectionId);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'reauthorization_required', connection_status: 'revoked' });
    const again = await t.call('POST', `/v1/connections/${connectionId}/reauthorize`, {
      key: acme.key,
      body: { credentials: { key_id: SECOND_KEY.keyId, secret_key: SECOND_KEY.secretKey } },
    });
    expect(again.json().connection.status).toBe('active');
    clock += 10 * 60_000;
    expect((await sync(connectionId)).json().sync_run.status).toBe('succeeded');
  });

  it('secrets never reach the logs', () => {
    const logs = t.logs.join('');
    expect(logs).not.toContain('LEAKCANARY');
    expect(logs).not.toContain(sim.key.secretKey);
    expect(logs).not.toContain(SECOND_KEY.secretKey);
    expect(logs).not.toContain(acme.key);
  });
});
