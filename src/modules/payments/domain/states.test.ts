import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DisputeStatus, MethodKind } from './processor.js';
import {
  checkCapture,
  checkRefund,
  checkVoid,
  loanShare,
  merge,
  type PaymentFacts,
  type Stage,
  sameFacts,
  stateOf,
} from './states.js';

const fresh = (kind: MethodKind): PaymentFacts => ({
  kind,
  stage: 'pending',
  amountAuthorized: 0,
  amountCaptured: 0,
  amountRefunded: 0,
  dispute: null,
});

type Truth = Omit<PaymentFacts, 'kind'>;

/**
 * What a processor's view of one payment goes through, in order: a card is authorized, captured, refunded in parts,
 * disputed and the dispute decided; a bank debit is initiated, settled (or returned), refunded, disputed. Each
 * element is the whole view at that moment, as `retrieve` or a webhook would show it.
 */
const history: fc.Arbitrary<{ kind: MethodKind; views: Truth[] }> = fc
  .record({
    kind: fc.constantFrom<MethodKind>('card', 'bank_account'),
    amount: fc.integer({ min: 1, max: 1_000_000 }),
    declined: fc.boolean(),
    captureShare: fc.integer({ min: 1, max: 100 }),
    returned: fc.boolean(),
    refunds: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 4 }),
    dispute: fc.constantFrom<DisputeStatus[]>([], ['open'], ['open', 'won'], ['open', 'lost'], ['lost']),
  })
  .map(({ kind, amount, declined, captureShare, returned, refunds, dispute }) => {
    const base: Truth = {
      stage: 'pending',
      amountAuthorized: 0,
      amountCaptured: 0,
      amountRefunded: 0,
      dispute: null,
    };
    if (declined) return { kind, views: [{ ...base, stage: 'declined' as Stage }] };
    const views: Truth[] = [];
    let cur: Truth;
    if (kind === 'card') {
      cur = { ...base, stage: 'authorized', amountAuthorized: amount };
      views.push(cur);
      const captured = Math.max(1, Math.floor((amount * captureShare) / 100));
      cur = { ...cur, stage: 'captured', amountCaptured: captured };
      views.push(cur);
    } else {
      cur = { ...base, stage: 'processing', amountAuthorized: amount, amountCaptured: amount };
      views.push(cur);
      if (returned) return { kind, views: [...views, { ...cur, stage: 'returned' as Stage }] };
      cur = { ...cur, stage: 'succeeded' };
      views.push(cur);
    }
    for (const share of refunds) {
      const left = cur.amountCaptured - cur.amountRefunded;
      if (left <= 0) break;
      cur = { ...cur, amountRefunded: cur.amountRefunded + Math.max(1, Math.floor((left * share) / 100)) };
      views.push(cur);
    }
    for (const d of dispute) {
      cur = { ...cur, dispute: d };
      views.push(cur);
    }
    return { kind, views };
  });

describe('payment states', () => {
  it('any deliveries of the views, in any order and repeated, end in the state of the last view', () => {
    fc.assert(
      fc.property(
        history.chain(({ kind, views }) =>
          fc.record({
            kind: fc.constant(kind),
            views: fc.constant(views),
            // Each view delivered 0..3 times, shuffled; the last one at least once.
            deliveries: fc
              .array(fc.integer({ min: 0, max: views.length - 1 }), { maxLength: 12 })
              .chain((ks) => fc.shuffledSubarray([...ks, views.length - 1], { minLength: ks.length + 1 })),
          }),
        ),
        ({ kind, views, deliveries }) => {
          const last = views.at(-1)!;
          let f = fresh(kind);
          for (const k of deliveries) f = merge(f, views[k]!);
          const direct = merge(fresh(kind), last);
          expect(stateOf(f)).toBe(stateOf(direct));
          expect(sameFacts(f, direct)).toBe(true);
          // Delivering anything again changes nothing.
          for (const v of views) expect(sameFacts(merge(f, v), f)).toBe(true);
        },
      ),
    );
  });

  it('what the loan should hold is captured less refunded, and nothing once returned or disputed', () => {
    fc.assert(
      fc.property(history, ({ kind, views }) => {
        let f = fresh(kind);
        for (const v of views) {
          f = merge(f, v);
          const share = loanShare(f);
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(f.amountCaptured);
          const state = stateOf(f);
          if (['returned', 'disputed', 'charged_back', 'declined', 'voided', 'authorized'].includes(state))
            expect(share).toBe(0);
          if (state === 'captured' || state === 'succeeded' || state === 'processing')
            expect(share).toBe(f.amountCaptured);
        }
      }),
    );
  });

  it('derives every state of the diagram', () => {
    const card = { ...fresh('card'), amountAuthorized: 100 };
    expect(stateOf({ ...card, stage: 'authorized' })).toBe('authorized');
    expect(stateOf({ ...card, stage: 'captured', amountCaptured: 100 })).toBe('captured');
    expect(stateOf({ ...card, stage: 'captured', amountCaptured: 100, amountRefunded: 40 })).toBe(
      'partially_refunded',
    );
    expect(stateOf({ ...card, stage: 'captured', amountCaptured: 100, amountRefunded: 100 })).toBe(
      'refunded',
    );
    expect(stateOf({ ...card, stage: 'captured', amountCaptured: 100, dispute: 'open' })).toBe('disputed');
    expect(stateOf({ ...card, stage: 'captured', amountCaptured: 100, dispute: 'won' })).toBe('captured');
    expect(stateOf({ ...card, stage: 'captured', amountCaptured: 100, dispute: 'lost' })).toBe(
      'charged_back',
    );
    const bank = { ...fresh('bank_account'), amountAuthorized: 100, amountCaptured: 100 };
    expect(stateOf({ ...bank, stage: 'processing' })).toBe('processing');
    expect(stateOf({ ...bank, stage: 'succeeded' })).toBe('succeeded');
    expect(stateOf({ ...bank, stage: 'returned' })).toBe('returned');
    expect(merge({ ...bank, stage: 'returned' }, { stage: 'succeeded' }).stage).toBe('returned');
  });
});

describe('what the API may ask', () => {
  const authorized: PaymentFacts = { ...fresh('card'), stage: 'authorized', amountAuthorized: 5000 };
  const captured: PaymentFacts = { ...authorized, stage: 'captured', amountCaptured: 5000 };

  it('captures at most what was authorized, once', () => {
    expect(checkCapture(authorized, undefined)).toEqual({ ok: true, value: 5000 });
    expect(checkCapture(authorized, 3000)).toEqual({ ok: true, value: 3000 });
    const over = checkCapture(authorized, 5001);
    expect(over.ok ? null : [over.error.code, over.error.fields?.[0]?.path]).toEqual([
      'amount_above_authorized',
      'amount',
    ]);
    const again = checkCapture(captured, undefined);
    expect(again.ok ? null : again.error.kind).toBe('conflict');
  });

  it('voids only an authorization (409 after capture)', () => {
    expect(checkVoid(authorized).ok).toBe(true);
    const after = checkVoid(captured);
    expect(after.ok ? null : [after.error.kind, after.error.code]).toEqual([
      'conflict',
      'invalid_state_transition',
    ]);
  });

  it('refunds at most what is left, counting refunds under way', () => {
    expect(checkRefund(captured, undefined, 0)).toEqual({ ok: true, value: 5000 });
    expect(checkRefund(captured, 2000, 3000)).toEqual({ ok: true, value: 2000 });
    const over = checkRefund(captured, 2001, 3000);
    expect(over.ok ? null : over.error.fields?.[0]?.path).toBe('amount');
    expect(checkRefund(authorized, 100, 0).ok).toBe(false);
    const returned: PaymentFacts = { ...fresh('bank_account'), stage: 'returned', amountCaptured: 100 };
    expect(checkRefund(returned, 100, 0).ok).toBe(false);
  });
});
