import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CardMessageDraft,
  effectiveDecision,
  fallbackDecision,
  finalizeDraft,
  type ParseResult,
} from './messages.js';

const rules = { cardIdPattern: /^card_[a-z0-9]+$/ };

const draft = (over: Partial<CardMessageDraft> = {}): CardMessageDraft => ({
  kind: 'authorization',
  provider: 'generic',
  externalId: 'auth_1',
  messageId: 'msg_1',
  requiresDecision: true,
  amount: 1250,
  currency: 'usd',
  cardId: 'card_1',
  merchant: {
    merchantId: 'm-1',
    acquirerId: '',
    mcc: '5411',
    name: ' Corner Grocery ',
    country: 'usa',
    postalCode: null,
    city: 'Austin',
  },
  occurredAt: '2026-03-01T10:00:00+01:00',
  ...over,
});

const reason = (r: ParseResult) => (r.ok ? 'ok' : r.declineReason);

describe('finalizeDraft', () => {
  it('normalizes a valid draft', () => {
    const r = finalizeDraft(draft(), rules);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message.currency).toBe('USD');
    expect(r.message.merchant).toEqual({
      merchantId: 'm-1',
      acquirerId: null,
      mcc: '5411',
      name: 'Corner Grocery',
      country: 'USA',
      postalCode: null,
      city: 'Austin',
    });
    expect(r.message.occurredAt).toBe('2026-03-01T09:00:00.000Z');
    expect(r.message.isPartialAllowed).toBe(false);
  });

  it.each([
    [{ externalId: ' ' }, 'invalid_request'],
    [{ messageId: undefined }, 'invalid_request'],
    [{ cardId: null }, 'unknown_card'],
    [{ cardId: 'ic_123' }, 'unknown_card'],
    [{ amount: 0 }, 'invalid_amount'],
    [{ amount: -5 }, 'invalid_amount'],
    [{ amount: 12.5 }, 'invalid_amount'],
    [{ amount: Number.MAX_SAFE_INTEGER + 2 }, 'invalid_amount'],
    [{ amount: null }, 'invalid_amount'],
    [{ currency: 'XYZ' }, 'invalid_currency'],
    [{ currency: '' }, 'invalid_currency'],
    [{ occurredAt: 'yesterday' }, 'invalid_request'],
  ] as [Partial<CardMessageDraft>, string][])('declines %o with %s', (over, expected) => {
    expect(reason(finalizeDraft(draft(over), rules))).toBe(expected);
  });

  it.each([
    [{ mcc: '541' }, 'invalid_merchant'],
    [{ mcc: 'grocery' }, 'invalid_merchant'],
    [{ merchantId: '' }, 'invalid_merchant'],
    [{ country: 'US' }, 'invalid_merchant'],
    [{ country: 'XXX' }, 'invalid_merchant'],
    [{ country: null }, 'invalid_merchant'],
  ])('declines merchant %o with %s', (over, expected) => {
    const d = draft();
    expect(reason(finalizeDraft({ ...d, merchant: { ...d.merchant, ...over } }, rules))).toBe(expected);
  });

  it('lets notifications through without a merchant country, but not with a wrong one', () => {
    const d = draft({ kind: 'clearing', requiresDecision: false });
    expect(reason(finalizeDraft({ ...d, merchant: { ...d.merchant, country: null } }, rules))).toBe('ok');
    expect(reason(finalizeDraft({ ...d, merchant: { ...d.merchant, country: 'FR' } }, rules))).toBe(
      'invalid_merchant',
    );
  });

  it('allows zero only for balance inquiries, expiries and advices', () => {
    expect(reason(finalizeDraft(draft({ kind: 'balance_inquiry', amount: 0 }), rules))).toBe('ok');
    expect(reason(finalizeDraft(draft({ kind: 'expiry', amount: 0, requiresDecision: false }), rules))).toBe(
      'ok',
    );
    expect(
      reason(finalizeDraft(draft({ kind: 'reversal', amount: 0, requiresDecision: false }), rules)),
    ).toBe('invalid_amount');
  });

  it('keeps whatever ids it could read on failure', () => {
    const r = finalizeDraft(draft({ amount: -1 }), rules);
    expect(r).toMatchObject({
      ok: false,
      partialIds: { externalId: 'auth_1', messageId: 'msg_1', cardId: 'card_1' },
    });
  });

  it('never throws on arbitrary drafts', () => {
    fc.assert(
      fc.property(
        fc.record({
          amount: fc.oneof(fc.integer(), fc.double(), fc.constant(null)),
          currency: fc.oneof(fc.string(), fc.constant(null)),
          cardId: fc.oneof(fc.string(), fc.constant(undefined)),
          mcc: fc.oneof(fc.string(), fc.constant(null)),
          country: fc.oneof(fc.string(), fc.constant(null)),
          occurredAt: fc.oneof(
            fc.string(),
            fc.date().map((x) => x.toString()),
          ),
        }),
        (v) => {
          const d = draft();
          const r = finalizeDraft(
            { ...d, ...v, merchant: { ...d.merchant, mcc: v.mcc, country: v.country } } as CardMessageDraft,
            rules,
          );
          if (r.ok) {
            expect(r.message.amount).toBeGreaterThan(0);
            expect(r.message.merchant.mcc).toMatch(/^\d{4}$/);
          }
        },
      ),
    );
  });
});

describe('decisions', () => {
  const parsed = (isPartialAllowed: boolean) => {
    const r = finalizeDraft(draft({ isPartialAllowed }), rules);
    if (!r.ok) throw new Error('fixture');
    return r;
  };

  it('keeps a partial approval only when the terminal allows it', () => {
    const d = { approved: true, reasonCode: 'approved', approvedAmount: 1000 } as const;
    expect(effectiveDecision(d, parsed(true))).toEqual(d);
    expect(effectiveDecision(d, parsed(false))).toEqual({
      approved: false,
      reasonCode: 'insufficient_credits',
    });
  });

  it('treats approving the full amount or more as a full approval, and zero as a decline', () => {
    expect(
      effectiveDecision({ approved: true, reasonCode: 'approved', approvedAmount: 1250 }, parsed(true)),
    ).toEqual({
      approved: true,
      reasonCode: 'approved',
    });
    expect(
      effectiveDecision({ approved: true, reasonCode: 'approved', approvedAmount: 0 }, parsed(true)).approved,
    ).toBe(false);
  });

  it('never approves an invalid message, whatever the engine or the fallback says', () => {
    const bad = finalizeDraft(draft({ currency: 'ZZZ' }), rules);
    expect(effectiveDecision({ approved: true, reasonCode: 'approved' }, bad)).toEqual({
      approved: false,
      reasonCode: 'invalid_currency',
    });
    expect(fallbackDecision('approve', bad)).toEqual({ approved: false, reasonCode: 'invalid_currency' });
    expect(fallbackDecision('approve', parsed(false))).toEqual({
      approved: true,
      reasonCode: 'timeout_fallback',
    });
    expect(fallbackDecision('decline', parsed(false))).toEqual({
      approved: false,
      reasonCode: 'timeout_fallback',
    });
  });
});
