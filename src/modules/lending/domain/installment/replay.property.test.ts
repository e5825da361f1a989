import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loanTermsArb } from '../../../../../test/support/lending/installment.js';
import { expectPayoffQuotePaysOff } from '../../../../../test/support/lending/recalculation.js';
import {
  compoundingCalendarArb,
  restRuleArb,
} from '../../../../../test/support/lending/recalculation-rest.js';
import { addDays, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { ACCOUNTS, isBalanced, journalBalances, restatementEntry } from './ledger.js';
import { calculatePayoff } from './payoff.js';
import type { Compounding } from './recalculation-compounding.js';
import type { RestRule } from './recalculation-rest.js';
import { type LoanState, replay } from './replay.js';
import { replayDuring } from './replay-during.js';
import { generateSchedule } from './schedule.js';
import { COMPONENTS, type LoanTerms } from './terms.js';

const termsArb: fc.Arbitrary<LoanTerms> = fc
  .record({
    base: loanTermsArb(18),
    lateFee: fc.option(
      fc.oneof(
        fc.record({
          type: fc.constant('flat' as const),
          amount: fc.integer({ min: 1, max: 5000 }),
          graceDays: fc.nat(15),
        }),
        fc.record({
          type: fc.constant('percent' as const),
          percent: fc.constantFrom('5', '1.5'),
          graceDays: fc.nat(15),
        }),
      ),
    ),
    chargeOffAfterDays: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.integer({ min: 30, max: 200 }) },
    ),
    penalty: fc.option(
      fc.record({ type: fc.constant('percent' as const), percent: fc.constantFrom('1', '3') }),
    ),
    recalculate: fc.boolean(),
    rest: restRuleArb,
    compounding: fc.constantFrom('none', 'interest', 'fee', 'interest_and_fee') as fc.Arbitrary<Compounding>,
    calendar: compoundingCalendarArb,
  })
  .map(({ base, lateFee, chargeOffAfterDays, penalty, recalculate, rest, compounding, calendar }) => ({
    ...(recalculate
      ? withRecalculation(base, rest, lateFee && compounding !== 'none' ? 'interest' : compounding, calendar)
      : base),
    lateFee,
    prepaymentPenalty: penalty,
    delinquency: { buckets: [30, 60, 90, 120], chargeOffAfterDays },
  }));

/** Interest recalculation (recalculation.ts) where the program's checks allow it; the terms as they are elsewhere. */
function withRecalculation(
  terms: LoanTerms,
  rest: RestRule,
  compounding: Compounding,
  calendar: Record<string, unknown>,
): LoanTerms {
  const applies =
    terms.interestMethod === 'declining_balance' &&
    terms.interestCalculation !== 'per_period' &&
    terms.futureInstallments !== 'reamortize' &&
    terms.fixedInstallment === null &&
    terms.rateChanges.length === 0 &&
    terms.multiDisbursement === null &&
    terms.grace.interestPeriods === 0 &&
    terms.grace.interestFreePeriods === 0 &&
    !terms.charges.some((c) => c.calculation.endsWith('interest'));
  if (!applies) return terms;
  // period_days takes rest daily or same_as_repayment without compounding (recalculation-terms.ts); fees compound
  // only without a late fee (the caller); a compounding calendar only with compounding.
  if (terms.interestCalculation === 'period_days') {
    const progressive = rest.rest === 'same_as_repayment' ? rest.rest : 'daily';
    return {
      ...terms,
      options: { ...terms.options, interestRecalculation: { rest: progressive, compounding: 'none' } },
    };
  }
  return {
    ...terms,
    options: {
      ...terms.options,
      interestRecalculation: { ...rest, compounding, ...(compounding !== 'none' && calendar) },
    },
  };
}

const stepArb = fc.record({
  kind: fc.oneof(
    { weight: 8, arbitrary: fc.constant('payment') },
    { weight: 5, arbitrary: fc.constantFrom('fee', 'waive', 'reversal', 'payoff', 'refund') },
    { weight: 1, arbitrary: fc.constantFrom('charge_off', 'recovery') },
  ),
  day: fc.nat(),
  size: fc.double({ min: 0.01, max: 2.5, noNaN: true }),
  pick: fc.nat(),
});

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds a history from random steps, keeping only the events the loan accepts at their place in it. */
function history(terms: LoanTerms, steps: readonly Step[], asOf: CalendarDate): LoanEvent[] {
  const start = terms.disbursementDate;
  const rows = generateSchedule(terms).rows;
  const span = daysBetween(start, rows[rows.length - 1]!.dueDate) + 120;
  const installment = Math.max(1, Math.ceil(terms.amountFinanced / rows.length));
  let events: LoanEvent[] = [
    { id: 'approve', sequence: 1, effectiveDate: addDays(start, -1), type: 'approve' },
    { id: 'disburse', sequence: 2, effectiveDate: start, type: 'disburse' },
  ];
  steps.forEach((s, k) => {
    const id = `s${k}`;
    const sequence = k + 3;
    let date = addDays(start, s.day % span);
    const amount = Math.max(1, Math.round(installment * s.size));
    let e: LoanEvent;
    switch (s.kind) {
      case 'payment':
        e = { id, sequence, effectiveDate: date, type: 'payment', amount };
        break;
      case 'fee':
        e = {
          id,
          sequence,
          effectiveDate: date,
          type: 'fee',
          component: s.pick % 2 ? 'fees' : 'penalties',
          amount: 1 + (amount % 3000),
        };
        break;
      case 'waive':
        e = {
          id,
          sequence,
          effectiveDate: date,
          type: 'waive',
          component: (['penalties', 'fees', 'interest'] as const)[s.pick % 3]!,
        };
        break;
      case 'reversal': {
        const payments = events.filter((x) => x.type === 'payment' || x.type === 'payoff');
        if (payments.length === 0) return;
        const target = payments[s.pick % payments.length]!;
        if (target.effectiveDate > date) date = target.effectiveDate;
        e = { id, sequence, effectiveDate: date, type: 'payment_reversal', paymentId: target.id };
        break;
      }
      case 'payoff': {
        const during = replay(terms, events, date, { closeOfBusiness: false });
        if (!during.ok) return;
        const total = calculatePayoff(during.value, date).total;
        e = {
          id,
          sequence,
          effectiveDate: date,
          type: 'payoff',
          amount: Math.max(1, total + (s.pick % 2) * 777),
        };
        break;
      }
      case 'recovery':
        e = { id, sequence, effectiveDate: date, type: 'recovery', amount };
        break;
      default:
        e = { id, sequence, effectiveDate: date, type: s.kind as 'charge_off' | 'refund' };
    }
    const trial = [...events, e];
    if (replay(terms, trial, asOf).ok) events = trial;
  });
  return events;
}

function checkInvariants(terms: LoanTerms, s: LoanState) {
  expect(s.journal.every(isBalanced)).toBe(true);
  const fromJournal = journalBalances(s.journal);
  expect(fromJournal).toEqual(s.balances);
  expect(ACCOUNTS.reduce((sum, a) => sum + fromJournal[a], 0)).toBe(0);
  let principal = 0;
  for (const r of s.installments) {
    principal += r.due.principal;
    expect(r.accrued).toBeGreaterThanOrEqual(0);
    expect(r.due.interest).toBeGreaterThanOrEqual(0);
    for (const c of COMPONENTS) {
      expect(r.paid[c]).toBeGreaterThanOrEqual(0);
      expect(r.due[c] - r.paid[c] - r.waived[c]).toBeGreaterThanOrEqual(0);
    }
  }
  if (s.installments.length > 0) expect(principal).toBe(terms.amountFinanced);
  expect(s.creditBalance).toBeGreaterThanOrEqual(0);
  for (const p of s.payments)
    if (p.reversedOn === null)
      expect(p.lines.reduce((sum, l) => sum + l.amount, 0) + p.credit).toBe(p.amount);
}

describe('replay invariants, any terms and any history', () => {
  it('the journal balances and agrees with the state; replaying again or in another order gives the same state', () => {
    fc.assert(
      fc.property(termsArb, fc.array(stepArb, { maxLength: 14 }), fc.nat(), (terms, steps, at) => {
        const end = addDays(terms.disbursementDate, 800);
        const events = history(terms, steps, end);
        const asOf = addDays(terms.disbursementDate, at % 800);
        const r = replay(terms, events, asOf);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        checkInvariants(terms, r.value);
        const again = replay(terms, [...events].reverse(), asOf);
        expect(again).toEqual(r);
        // The append-only journal: what was known before the last event, plus its restatement entry.
        const last = Math.max(...events.map((e) => e.sequence));
        const before = replay(terms, events, asOf, { knownThrough: last - 1 });
        expect(before.ok).toBe(true);
        if (before.ok) {
          const entry = restatementEntry(before.value.balances, r.value.balances, asOf, 'last');
          expect(journalBalances([...before.value.journal, ...(entry ? [entry] : [])])).toEqual(
            r.value.balances,
          );
        }
        const during = replay(terms, events, asOf, { closeOfBusiness: false });
        if (during.ok) checkInvariants(terms, during.value);
      }),
      { numRuns: 120 },
    );
  });

  it('a reversal leaves the state, balances and journal of a history without that payment', () => {
    fc.assert(
      fc.property(termsArb, fc.array(stepArb, { maxLength: 8 }), fc.nat(), (terms, steps, at) => {
        const events = history(terms, steps, addDays(terms.disbursementDate, 800));
        const asOf = addDays(terms.disbursementDate, at % 800);
        for (const rev of events.filter((e) => e.type === 'payment_reversal')) {
          const without = events.filter((e) => e.id !== rev.id && e.id !== rev.paymentId);
          const a = replay(terms, events, asOf);
          const b = replay(terms, without, asOf);
          if (!a.ok || !b.ok) continue; // removing the payment can make a later event invalid (a payoff, a refund)
          expect(a.value.installments).toEqual(b.value.installments);
          expect(a.value.balances).toEqual(b.value.balances);
          expect(a.value.journal).toEqual(b.value.journal);
          expect(a.value.status).toBe(b.value.status);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('paying the payoff quote on any day pays the loan off exactly', () => {
    fc.assert(
      fc.property(termsArb, fc.array(stepArb, { maxLength: 6 }), fc.nat(), (terms, steps, at) => {
        const asOf = addDays(terms.disbursementDate, at % 700);
        const events = history(terms, steps, asOf);
        const paid = expectPayoffQuotePaysOff(terms, events, asOf);
        if (paid) checkInvariants(terms, paid);
      }),
      { numRuns: 120 },
    );
  });

  it('a payment continuing the replay during its day equals the replay with it; the quoted state stays as it was', () => {
    fc.assert(
      fc.property(
        termsArb,
        fc.array(stepArb, { maxLength: 10 }),
        fc.nat(),
        stepArb,
        (terms, steps, at, pay) => {
          const events = history(terms, steps, addDays(terms.disbursementDate, 800));
          const asOf = addDays(terms.disbursementDate, at % 800);
          const during = replay(terms, events, asOf, { closeOfBusiness: false });
          const day = replayDuring(terms, events, asOf);
          expect(day.ok).toBe(during.ok);
          if (!day.ok || !during.ok) return;
          expect(day.value.state).toEqual(during.value);
          const amount =
            pay.kind === 'payoff'
              ? Math.max(1, calculatePayoff(during.value, asOf).total)
              : Math.max(1, Math.round(terms.amountFinanced * pay.size * 0.2));
          const sequence = Math.max(...events.map((e) => e.sequence)) + 1;
          const type = pay.kind === 'payoff' ? ('payoff' as const) : ('payment' as const);
          const payment: LoanEvent = { id: 'collected', sequence, effectiveDate: asOf, type, amount };
          const continued = day.value.withPayment(payment);
          expect(continued).toEqual(replay(terms, [...events, payment], asOf, { closeOfBusiness: false }));
          // Once only; the quote's state did not move with the continuation.
          expect(day.value.withPayment(payment)).toBeNull();
          expect(day.value.state).toEqual(during.value);
          // Not a payment on the day after every event: the caller replays.
          const back: LoanEvent = {
            ...payment,
            id: 'back',
            sequence: sequence + 1,
            effectiveDate: addDays(asOf, -1),
          };
          const again = replayDuring(terms, events, asOf);
          if (again.ok) {
            expect(again.value.withPayment(back)).toBeNull();
            expect(again.value.withPayment({ ...payment, sequence: 1 })).toBeNull();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
