import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../kernel/dates.js';
import {
  checkStatusChange,
  firstDelinquencyOn,
  type StatusLoan,
  type StatusRecord,
  statusAsOf,
} from './servicing-status.js';

const d = parseDate;
const loan: StatusLoan = {
  product: 'installment_loan',
  status: 'delinquent',
  startDate: d('2024-01-15'),
  daysPastDue: 40,
  oldestUnpaidDue: d('2024-02-15'),
};
const rec = (
  sequence: number,
  action: StatusRecord['action'],
  date: string,
  agency: string | null = null,
) => ({
  sequence,
  action,
  effectiveDate: d(date),
  agency,
  firstDelinquency: action === 'collection_recall' || action === 'reinstatement' ? null : d(date),
});

describe('servicing status', () => {
  const history: StatusRecord[] = [
    rec(1, 'collection_placement', '2024-03-01', 'Acme'),
    rec(2, 'repossession', '2024-03-10'),
    rec(3, 'collection_recall', '2024-03-20'),
    rec(4, 'reinstatement', '2024-04-02'),
    rec(5, 'surrender', '2024-05-01'),
  ];
  it('is the fold of the records effective on the date', () => {
    expect(statusAsOf(history, d('2024-02-29'))).toEqual({ collection: null, collateral: null });
    expect(statusAsOf(history, d('2024-03-10'))).toEqual({
      collection: { agency: 'Acme', since: '2024-03-01', firstDelinquency: '2024-03-01' },
      collateral: { kind: 'repossession', since: '2024-03-10', firstDelinquency: '2024-03-10' },
    });
    expect(statusAsOf(history, d('2024-03-20')).collection).toBeNull();
    expect(statusAsOf(history, d('2024-04-02')).collateral).toBeNull();
    expect(statusAsOf(history, d('2024-05-01')).collateral?.kind).toBe('surrender');
    // the order the records were made in, whatever order they come in
    expect(statusAsOf([...history].reverse(), d('2024-04-01'))).toEqual(statusAsOf(history, d('2024-04-01')));
  });

  it('freezes the date of first delinquency: 30 days after the oldest unpaid due once come, else the date', () => {
    expect(firstDelinquencyOn(loan, d('2024-03-16'))).toBe('2024-03-16');
    expect(firstDelinquencyOn(loan, d('2024-03-15'))).toBe('2024-03-15');
    expect(firstDelinquencyOn(loan, d('2024-04-30'))).toBe('2024-03-16');
    expect(firstDelinquencyOn({ ...loan, oldestUnpaidDue: null }, d('2024-04-30'))).toBe('2024-04-30');
  });

  it('allows a change only from the states where it makes sense', () => {
    const today = d('2024-03-19');
    const check = (
      l: Partial<StatusLoan>,
      records: StatusRecord[],
      action: StatusRecord['action'],
      on = today,
    ) => checkStatusChange({ ...loan, ...l }, records, { action, effectiveDate: on }, today);
    const code = (r: ReturnType<typeof check>) => (r.ok ? 'ok' : r.error.code);
    expect(code(check({}, [], 'collection_placement'))).toBe('ok');
    expect(code(check({ status: 'charged_off' }, [], 'collection_placement'))).toBe('ok');
    expect(code(check({ status: 'paid_off' }, [], 'collection_placement'))).toBe('invalid_state_transition');
    expect(code(check({}, [rec(1, 'collection_placement', '2024-03-01')], 'collection_placement'))).toBe(
      'invalid_state_transition',
    );
    // a recall after a payoff is how a collection ends
    expect(
      code(
        check({ status: 'paid_off' }, [rec(1, 'collection_placement', '2024-03-01')], 'collection_recall'),
      ),
    ).toBe('ok');
    expect(code(check({ product: 'line_of_credit' }, [], 'repossession'))).toBe('invalid_state_transition');
    expect(code(check({ product: 'lease' }, [], 'surrender'))).toBe('ok');
    expect(code(check({}, [rec(1, 'surrender', '2024-03-01')], 'repossession'))).toBe(
      'invalid_state_transition',
    );
    expect(
      code(check({ status: 'charged_off' }, [rec(1, 'repossession', '2024-03-01')], 'reinstatement')),
    ).toBe('invalid_state_transition');
    expect(code(check({}, [rec(1, 'repossession', '2024-03-01')], 'reinstatement'))).toBe('ok');
    // dates: not after the business date, not before the loan started, not before the last record of its kind
    expect(check({}, [], 'collection_placement', d('2024-03-20'))).toMatchObject({
      ok: false,
      error: { kind: 'unprocessable', fields: [{ path: 'effective_date' }] },
    });
    expect(code(check({}, [], 'repossession', d('2024-01-14')))).toBe('validation_failed');
    expect(code(check({}, [rec(1, 'repossession', '2024-03-10')], 'reinstatement', d('2024-03-09')))).toBe(
      'validation_failed',
    );
    // the other kind's records do not bound it
    expect(
      code(check({}, [rec(1, 'repossession', '2024-03-10')], 'collection_placement', d('2024-03-01'))),
    ).toBe('ok');
  });
});
