import { describe, expect, it } from 'vitest';
import {
  asaRequest,
  newTransaction,
  transactionUpdated,
} from '../../../../sandbox/simulators/lithic/objects.js';
import {
  authorizationObject,
  eventEnvelope,
  newAuthorization,
} from '../../../../sandbox/simulators/stripe-issuing/objects.js';
import type { ParseResult } from '../domain/messages.js';
import type { RelayAdapter } from '../domain/relay.js';
import { genericRelay } from './generic/relay.js';
import { lithicRelay } from './lithic/relay.js';
import { stripeIssuingRelay } from './stripe_issuing/relay.js';

// Text PostgreSQL cannot store (text columns refuse NUL; jsonb refuses NUL and unpaired surrogates). JSON carries
// them as escapes, so they reach a relay in a validly signed body.
const NUL = '\u0000';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udfff';

type Body = Record<string, unknown>;
interface Case {
  relay: RelayAdapter;
  headers?: Record<string, string>;
  request: () => Body;
  /** Puts `bad` into a text field of the body. */
  taint: Record<string, (body: Body, bad: string) => void>;
  notification?: () => Body;
}

const generic = (): Body => ({
  type: 'authorization',
  id: 'msg_1',
  authorization_id: 'auth_1',
  amount: 4200,
  currency: 'EUR',
  card_id: 'card_abc',
  merchant: { id: 'MID-1', mcc: '5411', name: 'Shop', country: 'FRA', city: 'Paris' },
  occurred_at: '2026-05-01T11:59:58Z',
});
const merchantOf = (b: Body) => b.merchant as Body;

const stripe = (): Body => {
  const a = newAuthorization({ amount: 1250, mcc: '5411', country: 'FR', cardId: 'ic_abc' });
  return eventEnvelope('issuing_authorization.request', authorizationObject(a, 1250));
};
const stripeAuth = (b: Body) => (b.data as Body).object as Body;

const lithicTx = () => newTransaction({ amount: 1000, cardId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' });

const CASES: Record<string, Case> = {
  generic: {
    relay: genericRelay,
    request: generic,
    taint: {
      'merchant name': (b, bad) => {
        merchantOf(b).name = `Sh${bad}op`;
      },
      'merchant id': (b, bad) => {
        merchantOf(b).id = `MID${bad}`;
      },
      'message id': (b, bad) => {
        b.id = `msg${bad}`;
      },
      'an unknown field': (b, bad) => {
        b.note = bad;
      },
    },
    notification: () => ({ ...generic(), type: 'clearing' }),
  },
  stripe_issuing: {
    relay: stripeIssuingRelay,
    request: stripe,
    taint: {
      'merchant name': (b, bad) => {
        (stripeAuth(b).merchant_data as Body).name = `Sh${bad}op`;
      },
      'merchant id': (b, bad) => {
        (stripeAuth(b).merchant_data as Body).network_id = `12${bad}34`;
      },
      'event id': (b, bad) => {
        b.id = `evt_${bad}`;
      },
    },
  },
  lithic: {
    relay: lithicRelay,
    headers: { 'webhook-id': 'msg_2Wz' },
    request: () => asaRequest(lithicTx(), 1000),
    taint: {
      'merchant descriptor': (b, bad) => {
        merchantOf(b).descriptor = `COFFEE${bad}`;
      },
      'acceptor id': (b, bad) => {
        merchantOf(b).acceptor_id = `${bad}174030075991`;
      },
    },
    notification: () => transactionUpdated(lithicTx(), 'SETTLED'),
  },
};

const parse = (c: Case, b: Body): ParseResult =>
  c.relay.parse(Buffer.from(JSON.stringify(b)), c.headers ?? {});

describe.each(Object.entries(CASES))('%s: text the database cannot store', (_name, c) => {
  it('reads the untainted request', () => {
    expect(parse(c, c.request()).ok).toBe(true);
  });

  for (const [field, taint] of Object.entries(c.taint))
    for (const [what, bad] of [
      ['a NUL', NUL],
      ['a lone high surrogate', LONE_HIGH],
      ['a lone low surrogate', LONE_LOW],
    ])
      it(`declines a request with ${what} in its ${field} as invalid_characters, keeping only storable ids`, () => {
        const body = c.request();
        taint(body, bad!);
        const r = parse(c, body);
        expect(r).toMatchObject({ ok: false, declineReason: 'invalid_characters', requiresDecision: true });
        if (r.ok) return;
        expect(r.detail).toMatch(/cannot be stored/);
        for (const text of [r.detail, ...Object.values(r.partialIds)])
          if (text !== null) expect(text.includes(NUL) || /[\ud800-\udfff]/.test(text)).toBe(false);
        // The answer still reaches the platform, in its own format.
        expect(c.relay.respond({ approved: true, reasonCode: 'approved' }, r).status).toBe(200);
      });

  it('keeps a surrogate pair (an emoji) and text that only spells an escape', () => {
    const body = c.request();
    Object.values(c.taint)[0]!(body, '😀 \\u0000');
    expect(parse(c, body).ok).toBe(true);
  });

  if (c.notification)
    it('declines a notification with such text without waiting for a decision', () => {
      const body = c.notification!();
      body.extra = `x${NUL}`;
      expect(parse(c, body)).toMatchObject({
        ok: false,
        declineReason: 'invalid_characters',
        requiresDecision: false,
      });
    });
});
