import { expect } from 'vitest';
import {
  DEFAULT_SCHWAB_CLIENT,
  type SchwabSimulator,
  startSchwabSimulator,
} from '../../sandbox/simulators/schwab/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { configure, type Lender, lender } from './helpers.js';

export const MINUTE = 60_000;
const START = Date.parse('2025-04-20T12:00:00Z');

/** The Schwab simulator and a Plinth app sharing one settable clock, with a tenant that configured Schwab. */
export interface SchwabHarness {
  sim: SchwabSimulator;
  t: TestApp;
  acme: Lender;
  now(): number;
  /** Moves our clock and the simulator's together. */
  advance(ms: number): void;
  /** Starts (or restarts) the flow and plays the customer's browser at Schwab: returns the callback's query. */
  consent(l: Lender, connectionId?: string): Promise<{ id: string; query: URLSearchParams }>;
  callback(query: URLSearchParams | string): ReturnType<TestApp['call']>;
  sync(l: Lender, id: string, body?: Record<string, unknown>): ReturnType<TestApp['call']>;
  /** A tenant with its own Schwab config (another app registered at the simulator, or the default one). */
  lenderWithSchwab(name: string, clientId?: string, clientSecret?: string): Promise<Lender>;
  close(): Promise<void>;
}

export const OTHER_APP = { clientId: 'other-app', clientSecret: 'other-secret' };

export async function schwabHarness(): Promise<SchwabHarness> {
  let clock = START;
  const sim = await startSchwabSimulator({
    startTime: START,
    clients: [
      DEFAULT_SCHWAB_CLIENT,
      { ...OTHER_APP, redirectUris: [DEFAULT_SCHWAB_CLIENT.redirectUris[1]!] },
    ],
  });
  // The default redirect URI is PLINTH_PUBLIC_URL + /v1/oauth/schwab/callback, as registered with the app.
  const t = await startTestApp({
    now: () => new Date(clock),
    env: { PLINTH_PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'trace' },
  });
  const lenderWithSchwab = async (
    name: string,
    clientId = DEFAULT_SCHWAB_CLIENT.clientId,
    clientSecret = DEFAULT_SCHWAB_CLIENT.clientSecret,
  ) => {
    const l = await lender(t, name);
    await configure(t, l, 'schwab', { client_id: clientId, client_secret: clientSecret, base_url: sim.url });
    return l;
  };
  const acme = await lenderWithSchwab('Acme');
  return {
    sim,
    t,
    acme,
    now: () => clock,
    advance(ms) {
      clock += ms;
      sim.clock.set(clock);
    },
    async consent(l, connectionId) {
      const r = connectionId
        ? await t.call('POST', `/v1/connections/${connectionId}/reauthorize`, { key: l.key, body: {} })
        : await t.call('POST', '/v1/connections', {
            key: l.key,
            body: { customer_id: l.customerId, provider: 'schwab' },
          });
      expect(r.statusCode).toBe(connectionId ? 200 : 201);
      const { connection, authorization_url } = r.json();
      expect(connection.status).toBe('pending');
      const browser = await fetch(authorization_url, { redirect: 'manual' });
      expect(browser.status).toBe(302);
      return { id: connection.id, query: new URL(browser.headers.get('location')!).searchParams };
    },
    callback: (query) => t.call('GET', `/v1/oauth/schwab/callback?${query.toString()}`),
    sync: (l, id, body = {}) => t.call('POST', `/v1/connections/${id}/sync`, { key: l.key, body }),
    lenderWithSchwab,
    async close() {
      await t.close();
      await sim.close();
    },
  };
}
