import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineTerms } from '../../../../../test/support/lending/revolving.js';
import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { ledgerBalances } from '../../journal/posting.js';
import type { StoredEvent } from '../../product.js';
import { isBalanced } from '../support.js';
import { replayLine } from './replay.js';

// Properties of the line replay, event by event as the service records them (an event the replay refuses is not
// recorded): every journal entry balances and the journal agrees with the line's balances; a payment's allocation
// sums to the payment; replaying the same events, in any stored order, gives the same state.

const OPEN = '2024-01-10' as CalendarDate;

const stepArb = fc.record({
  day: fc.integer({ min: 0, max: 120 }),
  type: fc.constantFrom(
    'draw',
    'draw',
    'payment',
    'payment',
    'fee',
    'payment_reversal',
    'freeze',
    'unfreeze',
  ),
  amount: fc.integer({ min: 1, max: 300_000 }),
  pick: fc.nat(),
  card: fc.boolean(),
});

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function record(steps: Step[]) {
  const terms = lineTerms({}, { late_fee: { type: 'percent', percent: '5', grace_days: 1 } });
  const events: StoredEvent[] = [
    { id: 'e1', sequence: 1, type: 'approve', effectiveDate: OPEN, payload: {} },
    { id: 'e2', sequence: 2, type: 'disburse', effectiveDate: OPEN, payload: {} },
  ];
  let today = OPEN;
  for (const s of [...steps].sort((a, b) => a.day - b.day)) {
    today = addDays(OPEN, s.day);
    const payments = events.filter((e) => e.type === 'payment');
    const payload =
      s.type === 'payment_reversal'
        ? { paymentId: payments[s.pick % Math.max(1, payments.length)]?.id ?? 'none' }
        : s.type === 'draw' && s.card
          ? { amount: s.amount, reference: `r${events.length}`, source: 'card' }
          : { amount: s.amount, description: 'fee' };
    const candidate: StoredEvent = {
      id: `e${events.length + 1}`,
      sequence: events.length + 1,
      type: s.type,
      // Some payments are backdated up to a month.
      effectiveDate: s.type === 'payment' && s.pick % 3 === 0 ? addDays(today, -(s.pick % 30)) : today,
      payload,
    };
    if (candidate.effectiveDate < OPEN) candidate.effectiveDate = OPEN;
    if (replayLine(terms, [...events, candidate], today, { closeOfBusiness: false }).ok)
      events.push(candidate);
  }
  return { terms, events, today };
}

const seen = new Map<string, number>();

describe('line replay properties', () => {
  it('balances its journal, agrees with its balances, allocates payments exactly, and is deterministic', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), fc.integer({ min: 0, max: 1000 }), (steps, seed) => {
        const { terms, events, today } = record(steps);
        for (const e of events) seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
        const replayed = replayLine(terms, events, today, { closeOfBusiness: true });
        if (!replayed.ok) throw new Error(replayed.error.message);
        const r = replayed.value;
        expect(r.journal.filter((e) => !isBalanced(e))).toEqual([]);
        const b = ledgerBalances(r.journal);
        expect(b.loans_receivable ?? 0).toBe(r.line!.principal);
        expect(b.interest_receivable ?? 0).toBe(r.line!.interest + r.accrued);
        expect(b.fees_receivable ?? 0).toBe(r.line!.fees);
        for (const e of events.filter((x) => x.type === 'payment')) {
          const effect = r.effects.get(e.id)!;
          if (effect.reversed_on) continue;
          const a = effect.allocation as { fees: number; interest: number; principal: number };
          expect(a.fees + a.interest + a.principal).toBe(e.payload.amount);
        }
        // The same events stored in another order replay to the same state.
        const shuffled = [...events].sort(
          (x, y) => ((x.sequence * 7919 + seed) % 97) - ((y.sequence * 7919 + seed) % 97),
        );
        const again = replayLine(terms, shuffled, today, { closeOfBusiness: true });
        expect(again.ok && again.value).toEqual(r);
      }),
      { numRuns: 300 },
    );
    // The scenarios reach every kind of event.
    for (const type of ['draw', 'payment', 'fee', 'payment_reversal', 'freeze', 'unfreeze'])
      expect(seen.get(type) ?? 0, type).toBeGreaterThan(10);
  });
});
