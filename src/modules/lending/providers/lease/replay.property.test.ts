import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fedExampleTerms } from '../../../../../test/support/lending/lease.js';
import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { ledgerBalances } from '../../journal/posting.js';
import type { StoredEvent } from '../../product.js';
import { isBalanced } from '../support.js';
import { replayLease } from './replay.js';
import { outstanding } from './state.js';

// Properties of the lease replay, event by event as the service records them (an event the replay refuses is not
// recorded): every journal entry balances and the journal agrees with the payment rows; a payment's allocation
// sums to the payment; replaying the same events, in any stored order, gives the same state.

const START = '2024-01-15' as CalendarDate;

const stepArb = fc.record({
  day: fc.integer({ min: 0, max: 200 }),
  type: fc.constantFrom('payment', 'payment', 'payment', 'payment_reversal', 'terminate'),
  share: fc.double({ min: 0.05, max: 2.5, noNaN: true }),
  pick: fc.nat(),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function record(steps: Step[], term: number) {
  const terms = fedExampleTerms(
    { term_count: term },
    {
      late_fee: { type: 'percent', percent: '5', grace_days: 10, min: 1_000 },
      term_count: { min: 1, max: 60, default: 48 },
    },
  );
  const events: StoredEvent[] = [
    { id: 'e1', sequence: 1, type: 'approve', effectiveDate: START, payload: {} },
    { id: 'e2', sequence: 2, type: 'disburse', effectiveDate: START, payload: {} },
  ];
  let today = START;
  for (const s of [...steps].sort((a, b) => a.day - b.day)) {
    today = addDays(START, s.day);
    const payments = events.filter((e) => e.type === 'payment');
    const payload =
      s.type === 'payment_reversal'
        ? { paymentId: payments[s.pick % Math.max(1, payments.length)]?.id ?? 'none' }
        : s.type === 'terminate'
          ? { kind: 'early', realizedValue: Math.floor(s.share * 800_000), otherCharges: s.pick % 5_000 }
          : { amount: Math.round(s.share * 25_937) };
    const back = s.type === 'payment' && s.pick % 3 === 0 ? addDays(today, -(s.pick % 40)) : today;
    const candidate: StoredEvent = {
      id: `e${events.length + 1}`,
      sequence: events.length + 1,
      type: s.type,
      effectiveDate: back < START ? START : back,
      payload,
    };
    if (replayLease(terms, [...events, candidate], today, { closeOfBusiness: false }).ok)
      events.push(candidate);
  }
  return { terms, events, today };
}

const seen = new Map<string, number>();

describe('lease replay properties', () => {
  it('balances its journal, agrees with its rows, allocates payments exactly, and is deterministic', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        (steps, term, seed) => {
          const { terms, events, today } = record(steps, term);
          for (const e of events) seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
          const replayed = replayLease(terms, events, today, { closeOfBusiness: true });
          if (!replayed.ok) throw new Error(replayed.error.message);
          const r = replayed.value;
          expect(r.journal.filter((e) => !isBalanced(e))).toEqual([]);
          const b = ledgerBalances(r.journal);
          const sum = (f: (row: (typeof r.rows)[number]) => number) =>
            r.rows.reduce((s, row) => s + f(row), 0);
          if (r.status === 'active') {
            expect(b.lease_receivable ?? 0).toBe(
              terms.adjustedCapitalizedCost - sum((row) => row.paid.principal),
            );
            expect(b.rent_receivable ?? 0).toBe(sum((row) => row.accrued - row.paid.interest));
            expect(b.penalties_receivable ?? 0).toBe(sum((row) => outstanding(row, 'penalties')));
          } else {
            // Terminated: everything owed moved to the termination amount.
            expect([b.lease_receivable ?? 0, b.rent_receivable ?? 0, b.penalties_receivable ?? 0]).toEqual([
              0, 0, 0,
            ]);
            expect(b.termination_receivable ?? 0).toBe(r.termination!.due - r.termination!.paid);
          }
          for (const e of events.filter((x) => x.type === 'payment')) {
            const lines = r.effects.get(e.id)!.allocation as { amount: number }[];
            if (r.effects.get(e.id)!.reversed_on) continue;
            expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(e.payload.amount);
          }
          const shuffled = [...events].sort(
            (x, y) => ((x.sequence * 7919 + seed) % 97) - ((y.sequence * 7919 + seed) % 97),
          );
          const again = replayLease(terms, shuffled, today, { closeOfBusiness: true });
          expect(again.ok && again.value).toEqual(r);
        },
      ),
      { numRuns: 300 },
    );
    for (const type of ['payment', 'payment_reversal', 'terminate'])
      expect(seen.get(type) ?? 0, type).toBeGreaterThan(10);
  });
});
