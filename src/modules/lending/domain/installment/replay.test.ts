import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import { addMonths } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances, restatementEntry } from './ledger.js';
import { calculatePayoff } from './payoff.js';
import { type LoanState, type ReplayOptions, replay } from './replay.js';
import { generateSchedule } from './schedule.js';
import type { LoanTerms } from './terms.js';

// $12,000 at 12% over 12 months, disbursed 2024-01-15: $1,066.19 due on the 15th; late fee $25 after 10 days.
const terms: LoanTerms = { ...loanTerms(), lateFee: { type: 'flat', amount: 2500, graceDays: 10 } };
const INSTALLMENT = 106_619;

type Spec = {
  [K in LoanEvent['type']]: Omit<Extract<LoanEvent, { type: K }>, 'id' | 'sequence' | 'effectiveDate'>;
}[LoanEvent['type']];
function events(...specs: [string, Spec][]): LoanEvent[] {
  return specs.map(
    ([date, spec], k) => ({ id: `e${k + 1}`, sequence: k + 1, effectiveDate: d(date), ...spec }) as LoanEvent,
  );
}
const opened: [string, Spec][] = [
  ['2024-01-10', { type: 'approve' }],
  ['2024-01-15', { type: 'disburse' }],
];
const monthly = (n: number, amount = INSTALLMENT): [string, Spec][] =>
  Array.from({ length: n }, (_, k) => [addMonths(d('2024-02-15'), k, 15), { type: 'payment', amount }]);

function run(t: LoanTerms, evs: LoanEvent[], asOf: string, options: ReplayOptions = {}): LoanState {
  const r = replay(t, evs, d(asOf), options);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  expect(r.value.journal.every(isBalanced)).toBe(true);
  expect(journalBalances(r.value.journal)).toEqual(r.value.balances);
  return r.value;
}

describe('loan lifecycle', () => {
  it('application → approved → active → paid off → closed, with the journal agreeing throughout', () => {
    const schedule = generateSchedule(terms);
    const last = schedule.rows[11]!.total;
    const evs = events(
      ...opened,
      ...monthly(11),
      ['2025-01-15', { type: 'payment', amount: last }],
      ['2025-01-20', { type: 'close' }],
    );
    expect(run(terms, evs, '2024-01-12').status).toBe('approved');
    const mid = run(terms, evs, '2024-06-30');
    expect(mid.status).toBe('active');
    expect(mid.daysPastDue).toBe(0);
    const end = run(terms, evs, '2025-02-01');
    expect(end.status).toBe('closed');
    expect(end.balances).toMatchObject({
      loans_receivable: 0,
      interest_receivable: 0,
      interest_income: -schedule.totals.interest,
      cash: schedule.totals.interest,
    });
  });

  it('rejects invalid transitions as failures with a stable code', () => {
    const cases: [string, Spec][][] = [
      [['2024-01-15', { type: 'disburse' }]],
      [...opened, ['2024-01-16', { type: 'approve' }]],
      [['2024-01-10', { type: 'payment', amount: 100 }]],
      [...opened, ['2024-02-01', { type: 'close' }]],
      [
        ['2024-01-10', { type: 'reject' }],
        ['2024-01-11', { type: 'approve' }],
      ],
      [...opened, ['2024-02-01', { type: 'recovery', amount: 100 }]],
    ];
    for (const c of cases) {
      const r = replay(terms, events(...c), d('2024-12-31'));
      expect(r.ok ? 'ok' : r.error.code).toBe('invalid_state_transition');
    }
    expect(run(terms, events(['2024-01-10', { type: 'withdraw' }]), '2024-02-01').status).toBe('withdrawn');
    const wrongDay = replay(
      terms,
      events(['2024-01-10', { type: 'approve' }], ['2024-01-16', { type: 'disburse' }]),
      d('2024-02-01'),
    );
    expect(wrongDay.ok ? 'ok' : wrongDay.error.code).toBe('disbursement_date_mismatch');
  });

  it('the same events in any input order give the same state', () => {
    const evs = events(...opened, ...monthly(3), [
      '2024-03-01',
      { type: 'fee', component: 'fees', amount: 1500 },
    ]);
    expect(run(terms, [...evs].reverse(), '2024-08-01')).toEqual(run(terms, evs, '2024-08-01'));
  });
});

describe('delinquency, late fees and backdating', () => {
  it('charges the late fee after the grace days and ages the loan', () => {
    const s = run(terms, events(...opened), '2024-04-01');
    expect(s.status).toBe('delinquent');
    expect(s.daysPastDue).toBe(46);
    expect(s.delinquencyBucket).toBe('31-60');
    expect(s.installments.slice(0, 2).map((r) => r.due.penalties)).toEqual([2500, 2500]);
    expect(s.journal.filter((e) => e.kind === 'charge').map((e) => e.date)).toEqual([
      '2024-02-25',
      '2024-03-25',
    ]);
  });

  it('a payment on the last grace day avoids the fee; a backdated one recorded later removes it', () => {
    expect(
      run(terms, events(...opened, ['2024-02-25', { type: 'payment', amount: INSTALLMENT }]), '2024-03-01')
        .outstanding.penalties,
    ).toBe(0);
    // Recorded after the fee was charged (sequence 3), but effective Feb 20: replay never charges it.
    const late = events(...opened, ['2024-02-20', { type: 'payment', amount: INSTALLMENT }]);
    const s = run(terms, late, '2024-03-01');
    expect(s.installments[0]!.due.penalties).toBe(0);
    expect(s.status).toBe('active');
  });

  it('charges off after N days past due; recoveries post to recoveries', () => {
    const t: LoanTerms = { ...terms, delinquency: { buckets: [30, 60, 90], chargeOffAfterDays: 90 } };
    const evs = events(
      ...opened,
      ['2024-06-01', { type: 'recovery', amount: 50_000 }],
      ['2024-06-02', { type: 'close' }],
    );
    const before = run(t, evs, '2024-05-14');
    expect(before.status).toBe('delinquent');
    expect(before.delinquencyBucket).toBe('61-90');
    const co = run(t, evs, '2024-05-15');
    expect(co.status).toBe('charged_off');
    expect(co.chargedOff.principal).toBe(1_200_000);
    expect(co.balances.loans_receivable).toBe(0);
    expect(co.balances.charge_off_expense).toBe(1_200_000 + co.chargedOff.interest + co.chargedOff.penalties);
    const end = run(t, evs, '2024-07-01');
    expect(end.status).toBe('closed');
    expect(end.balances.recoveries).toBe(-50_000);
  });

  it('waives a late fee', () => {
    const evs = events(...opened, ['2024-03-01', { type: 'waive', component: 'penalties' }]);
    const s = run(terms, evs, '2024-03-02');
    expect(s.outstanding.penalties).toBe(0);
    expect(s.balances.penalty_income).toBe(0);
    const none = replay(
      terms,
      events(...opened, ['2024-02-01', { type: 'waive', component: 'penalties' }]),
      d('2024-03-01'),
    );
    expect(none.ok ? 'ok' : none.error.code).toBe('invalid_waiver');
  });
});

describe('reversals', () => {
  const evs = events(...opened, ...monthly(2), ['2024-03-20', { type: 'payment_reversal', paymentId: 'e3' }]);

  it('reprocesses everything after the reversed payment as if it had never been received', () => {
    // As known before the reversal was recorded (sequence 4): both payments applied.
    const known = run(terms, evs, '2024-03-31', { knownThrough: 4 });
    expect(known.installments.slice(0, 2).map((r) => r.paid.principal + r.paid.interest)).toEqual([
      INSTALLMENT,
      INSTALLMENT,
    ]);
    const s = run(terms, evs, '2024-03-31');
    // The March payment now pays installment 1, with the late fee the restated history charged on Feb 25.
    expect(s.installments[0]!.due.penalties).toBe(2500);
    expect(s.payments.find((p) => p.eventId === 'e4')!.lines[0]).toEqual({
      installment: 1,
      component: 'penalties',
      amount: 2500,
      bucket: 'past_due',
    });
    expect(s.payments.find((p) => p.eventId === 'e3')).toMatchObject({ reversedOn: '2024-03-20', lines: [] });
    expect(s.status).toBe('delinquent');
    // Same state and journal as a history without the payment at all.
    const without = events(...opened, ['2024-03-15', { type: 'payment', amount: INSTALLMENT }]);
    const w = run(terms, without, '2024-03-31');
    expect(s.installments).toEqual(w.installments);
    expect(s.balances).toEqual(w.balances);
  });

  it('gives the append-only journal one restatement entry that brings it to the restated balances', () => {
    const before = run(terms, evs, '2024-03-31', { knownThrough: 4 });
    const after = run(terms, evs, '2024-03-31');
    const entry = restatementEntry(before.balances, after.balances, d('2024-03-20'), 'e5')!;
    expect(isBalanced(entry)).toBe(true);
    // Cash goes back out; the principal, interest and the new late fee are owed again.
    expect(entry.lines).toContainEqual({ account: 'cash', side: 'credit', amount: INSTALLMENT });
    expect(entry.lines).toContainEqual({ account: 'penalties_receivable', side: 'debit', amount: 2500 });
    expect(journalBalances([...before.journal, entry])).toEqual(after.balances);
  });

  it('refuses to reverse a payment twice or something that is not a payment', () => {
    const twice = events(
      ...opened,
      ...monthly(1),
      ['2024-03-01', { type: 'payment_reversal', paymentId: 'e3' }],
      ['2024-03-02', { type: 'payment_reversal', paymentId: 'e3' }],
    );
    const r = replay(terms, twice, d('2024-04-01'));
    expect(r.ok ? 'ok' : r.error.code).toBe('duplicate_reversal');
    const bad = replay(
      terms,
      events(...opened, ['2024-03-01', { type: 'payment_reversal', paymentId: 'e2' }]),
      d('2024-04-01'),
    );
    expect(bad.ok ? 'ok' : bad.error.code).toBe('unknown_payment');
  });
});

describe('overpayment and payoff', () => {
  it('an overpayment leaves a credit balance (overpaid) until refunded', () => {
    const total = generateSchedule(terms).totals.total;
    const evs = events(
      ...opened,
      ['2024-02-15', { type: 'payment', amount: total + 1000 }],
      ['2024-02-20', { type: 'refund' }],
      ['2024-02-21', { type: 'close' }],
    );
    const over = run(terms, evs, '2024-02-16');
    expect(over.status).toBe('overpaid');
    expect(over.creditBalance).toBe(1000);
    expect(over.balances.overpayment_liability).toBe(-1000);
    // Interest paid ahead is recognised when the loan ends.
    expect(over.balances.interest_receivable).toBe(0);
    expect(run(terms, evs, '2024-02-20').status).toBe('paid_off');
    expect(run(terms, evs, '2024-02-21').status).toBe('closed');
  });

  it('a payoff settles with the quote for its date; less fails with the amount required', () => {
    const t: LoanTerms = { ...terms, prepaymentPenalty: { type: 'percent', percent: '1' } };
    const base = events(...opened, ...monthly(1));
    const during = replay(t, base, d('2024-03-01'), { closeOfBusiness: false });
    if (!during.ok) throw new Error(during.error.message);
    const quote = calculatePayoff(during.value, d('2024-03-01'));
    const short = replay(
      t,
      [
        ...base,
        ...events(['2024-03-01', { type: 'payoff', amount: quote.total - 1 }]).map((e) => ({
          ...e,
          id: 'p',
          sequence: 99,
        })),
      ],
      d('2024-03-02'),
    );
    expect(short.ok ? 'ok' : [short.error.code, short.error.extra?.required]).toEqual([
      'insufficient_payoff_amount',
      quote.total,
    ]);
    const paid = run(
      t,
      [
        ...base,
        { id: 'p', sequence: 99, effectiveDate: d('2024-03-01'), type: 'payoff', amount: quote.total },
      ],
      '2024-04-01',
    );
    expect(paid.status).toBe('paid_off');
    expect(paid.balances.penalty_income).toBe(-quote.prepaymentPenalty);
    expect(paid.balances.interest_income).toBe(-(12_000 + quote.interest));
    expect(paid.balances.cash).toBe(-1_200_000 + INSTALLMENT + quote.total);
  });
});

describe('reversal lifecycle', () => {
  it('cannot reverse a payment on a closed loan', () => {
    const evs = events(
      ...opened,
      ['2024-02-15', { type: 'payment', amount: 50_000 }],
      ['2024-04-01', { type: 'charge_off' }],
      ['2024-04-02', { type: 'close' }],
      ['2024-04-10', { type: 'payment_reversal', paymentId: 'e3' }],
    );
    // Without the reversal the history is valid, and the restated one is valid up to the reversal itself.
    expect(replay(terms, evs.slice(0, -1), d('2024-05-01')).ok).toBe(true);
    expect(replay(terms, evs, d('2024-04-09')).ok).toBe(true);
    const r = replay(terms, evs, d('2024-05-01'));
    expect(r.ok ? 'ok' : [r.error.code, r.error.extra?.event_type]).toEqual([
      'invalid_state_transition',
      'payment_reversal',
    ]);
  });
});

describe('reversal dates', () => {
  it('a reversal on a due date leaves that day’s close of business untouched', () => {
    // The reversal falls on installment 1's due date, which is also a day the close of business runs.
    const evs = events(
      ...opened,
      ['2024-02-01', { type: 'payment', amount: 1000 }],
      ['2024-02-15', { type: 'payment_reversal', paymentId: 'e3' }],
    );
    const s = run(terms, evs, '2024-03-01');
    const w = run(terms, events(...opened), '2024-03-01');
    expect(s.journal).toEqual(w.journal);
    expect(s.installments).toEqual(w.installments);
  });
});
