import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, ParseResult } from '../../../src/modules/card-authorizations/domain/messages.js';
import { genericRelay } from '../../../src/modules/card-authorizations/providers/generic/relay.js';
import { GARBAGE_BODIES } from '../shared/card-client.js';
import { type RelayHarness, startRelayHarness } from '../shared/card-relay-harness.js';
import { GenericCardSimulator, sendAuthorization, sendGarbage } from './simulator.js';

const secret = 'generic-secret-0123456789abcdef0123';
const oldSecret = 'generic-secret-old-0123456789abcdef';

function decide(parsed: ParseResult & { ok: true }): Decision {
  const m = parsed.message;
  if (m.merchant.mcc === '6011') return { approved: false, reasonCode: 'no_category' };
  return { approved: true, reasonCode: 'approved', approvedAmount: Math.min(m.amount, 3000) };
}

let relay: RelayHarness;
let sim: GenericCardSimulator;

beforeAll(async () => {
  relay = await startRelayHarness({ adapter: genericRelay, secrets: [secret], decide });
  sim = new GenericCardSimulator({ targetUrl: relay.relayUrl, secret });
});
afterAll(() => relay.close());

const lastMessage = () => {
  const r = relay.received.at(-1);
  if (!r?.ok) throw new Error('expected a parsed message');
  return r.message;
};

describe('generic simulator ↔ relay adapter', () => {
  it('round-trips approvals, partial approvals and declines', async () => {
    const full = await sendAuthorization(relay.relayUrl, secret, { amount: 2500 });
    expect(full.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 2500 });
    const partial = await sim.authorize({ amount: 5000, partialAllowed: true });
    expect(partial.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 3000 });
    const declined = await sim.authorize({ amount: 100, mcc: '6011' });
    expect(declined.verdict).toMatchObject({ ok: true, approved: false });
    expect(declined.body).toMatchObject({ reason: 'no_category' });
  });

  it('declines a 2-letter country on this contract', async () => {
    const res = await sim.authorize({ amount: 100, country: 'FR' });
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
    expect(res.body).toMatchObject({ reason: 'invalid_merchant' });
  });

  it('carries a lifecycle', async () => {
    const { authorization: a } = await sim.authorize({ amount: 1000 });
    expect((await sim.increment(a, 400)).verdict).toMatchObject({ ok: true, approved: true });
    expect(lastMessage()).toMatchObject({ kind: 'incremental_authorization', amount: 400 });
    expect((await sim.reverse(a, 100)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'reversal', amount: 100 });
    expect((await sim.clear(a)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'clearing', amount: 1300, forcePost: false });
    expect((await sim.refund(a, 50)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'refund', amount: 50 });
    const { authorization: b } = await sim.authorize({ amount: 75 });
    expect((await sim.expire(b)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'expiry', amount: 75 });
    expect((await sim.forcePost({ amount: 60 })).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'clearing', forcePost: true });
  });

  it('is accepted while signing with an old and a new secret (rotation)', async () => {
    const rotating = new GenericCardSimulator({ targetUrl: relay.relayUrl, secret: oldSecret });
    const res = await rotating.authorize({ amount: 10, signature: 'valid' });
    expect(res.status).toBe(401);
    const both = await rotating.sendRaw(JSON.stringify({}), { alsoSignWith: [secret] });
    expect(both.res.status).toBe(200);
  });

  it.each([
    'wrong_secret',
    'tampered',
    'stale',
    'missing',
  ] as const)('gets a 401 for a %s signature', async (mode) => {
    const before = relay.received.length;
    expect((await sim.authorize({ amount: 100, signature: mode })).status).toBe(401);
    expect(relay.received.length).toBe(before);
  });

  it.each(
    Object.entries(GARBAGE_BODIES),
  )('gets a valid decline for signed garbage (%s)', async (_name, raw) => {
    const res = await sendGarbage(relay.relayUrl, secret, raw);
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
  });
});
