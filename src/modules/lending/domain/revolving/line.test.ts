import { describe, expect, it } from 'vitest';
import { lineTerms } from '../../../../../test/support/lending/revolving.js';
import { type CalendarDate, parseDate } from '../../../../kernel/dates.js';
import type { Result } from '../../../../kernel/result.js';
import {
  assessLateFee,
  availableCredit,
  draw,
  type LineState,
  openLine,
  postFee,
  postPayment,
} from './line.js';
import { closeCycle } from './statement.js';
import { requestClose, transitionLine } from './status.js';

const d = parseDate;
const terms = lineTerms({ open_date: '2024-02-15' });

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const tx = (amount: number, date: string) => ({ amount, date: d(date) });

describe('line of credit postings', () => {
  it('opens with a cycle closing on the first cycle day after the open date', () => {
    const line = openLine(terms);
    expect([line.cycleStart, line.cycleEnd]).toEqual(['2024-02-15', '2024-03-15']);
    expect(openLine(lineTerms({ open_date: '2024-01-10' })).cycleEnd).toBe('2024-01-15');
    expect(openLine(lineTerms({ open_date: '2024-01-31', cycle_day: 31 })).cycleEnd).toBe('2024-02-29');
  });

  it('refuses a draw beyond the available credit on the amount field', () => {
    const line = must(draw(openLine(terms), tx(450000, '2024-02-20')));
    expect(availableCredit(line)).toBe(50000);
    const over = draw(line, tx(50001, '2024-02-21'));
    expect(over.ok).toBe(false);
    if (over.ok) return;
    expect(over.error).toMatchObject({
      code: 'insufficient_available_credit',
      fields: [{ path: 'amount' }],
      extra: { available_credit: 50000 },
    });
    expect(draw(line, tx(50000, '2024-02-21')).ok).toBe(true);
  });

  it('blocks draws while frozen or closing, but takes payments', () => {
    const line = must(draw(openLine(terms), tx(100000, '2024-02-20')));
    const frozen = must(transitionLine(line, 'frozen'));
    const refused = draw(frozen, tx(100, '2024-02-21'));
    expect(!refused.ok && refused.error.code).toBe('line_not_active');
    expect(must(postPayment(terms, frozen, tx(1000, '2024-02-21'))).principal).toBe(99000);
    const closing = must(requestClose(frozen));
    expect(closing.status).toBe('closing');
    expect(draw(closing, tx(100, '2024-02-21')).ok).toBe(false);
    expect(must(transitionLine(frozen, 'active')).status).toBe('active');
  });

  it('applies payments in the program order', () => {
    let line = must(draw(openLine(terms), tx(100000, '2024-02-20')));
    line = must(postFee(line, { ...tx(2500, '2024-02-21'), description: 'annual' }));
    line = { ...line, interest: 1200 }; // billed interest carried from a statement
    const paid = must(postPayment(terms, line, tx(3000, '2024-02-22')));
    expect(paid.postings.at(-1)?.applied).toEqual({ fees: 2500, interest: 500, principal: 0 });
    const principalFirst = lineTerms(
      { open_date: '2024-02-15' },
      { allocation_order: ['principal', 'interest', 'fees'] },
    );
    const other = must(postPayment(principalFirst, line, tx(3000, '2024-02-22')));
    expect(other.postings.at(-1)?.applied).toEqual({ fees: 0, interest: 0, principal: 3000 });
  });

  it('rejects overpayments and postings outside the open cycle or out of order', () => {
    const line = must(draw(openLine(terms), tx(1000, '2024-02-20')));
    const over = postPayment(terms, line, tx(1001, '2024-02-21'));
    expect(!over.ok && over.error.code).toBe('payment_exceeds_balance');
    const outside = draw(line, tx(100, '2024-03-16'));
    expect(!outside.ok && [outside.error.code, outside.error.fields?.[0]?.path]).toEqual([
      'posting_outside_cycle',
      'date',
    ]);
    const backwards = draw(line, tx(100, '2024-02-19'));
    expect(!backwards.ok && backwards.error.code).toBe('posting_out_of_order');
    const zero = draw(line, tx(0, '2024-02-21'));
    expect(!zero.ok && zero.error.fields?.[0]?.path).toBe('amount');
  });

  it('closes a settled line at once and refuses impossible transitions', () => {
    expect(must(requestClose(openLine(terms))).status).toBe('closed');
    const line = must(draw(openLine(terms), tx(1000, '2024-02-20')));
    const direct = transitionLine(line, 'closed');
    expect(!direct.ok && direct.error.code).toBe('balance_outstanding');
    const closed = must(requestClose(openLine(terms)));
    const reopen = transitionLine(closed, 'active');
    expect(!reopen.ok && reopen.error.code).toBe('invalid_state_transition');
    const chargedOff = must(transitionLine(line, 'charged_off'));
    expect(must(transitionLine(chargedOff, 'closed')).status).toBe('closed');
  });
});

describe('late fee', () => {
  // One statement with a minimum payment of $54.13 due 2024-04-09 (see statement.test.ts).
  function afterFirstStatement(): LineState {
    let line = must(draw(openLine(terms), tx(100000, '2024-02-15')));
    line = must(draw(line, tx(50000, '2024-03-01')));
    line = must(postFee(line, { ...tx(1000, '2024-03-05'), description: 'annual' }));
    line = must(postPayment(terms, line, tx(20000, '2024-03-10')));
    return must(closeCycle(terms, line, d('2024-03-15'))).state;
  }
  const assess = (line: LineState, on: CalendarDate) => must(assessLateFee(terms, line, on));

  it('is charged once, after the due date, when the minimum payment was not received', () => {
    const line = afterFirstStatement();
    expect(line.lastStatement).toMatchObject({ dueDate: '2024-04-09', minimumPayment: 5413 });
    expect(assess(line, d('2024-04-09')).fee).toBe(0);
    const late = assess(line, d('2024-04-10'));
    expect(late.fee).toBe(3000);
    expect(late.state.fees).toBe(3000);
    expect(assess(late.state, d('2024-04-11')).fee).toBe(0);
  });

  it('is not charged when the minimum arrived by the due date, but is when it came late', () => {
    const line = afterFirstStatement();
    const onTime = must(postPayment(terms, line, tx(5413, '2024-04-09')));
    expect(assess(onTime, d('2024-04-10')).fee).toBe(0);
    const tooLate = must(postPayment(terms, line, tx(5413, '2024-04-10')));
    expect(assess(tooLate, d('2024-04-10')).fee).toBe(3000);
  });

  it('never exceeds the minimum payment due', () => {
    let line = must(draw(openLine(terms), tx(1000, '2024-02-15')));
    line = must(closeCycle(terms, line, d('2024-03-15'))).state;
    expect(line.lastStatement?.minimumPayment).toBe(1000 + 15); // whole balance: $10.00 + $0.15 interest
    expect(assess(line, d('2024-04-10')).fee).toBe(1015);
  });
});
