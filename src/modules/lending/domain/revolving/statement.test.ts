import { describe, expect, it } from 'vitest';
import { lineTerms } from '../../../../../test/support/lending/revolving.js';
import { daysBetween, parseDate } from '../../../../kernel/dates.js';
import type { Result } from '../../../../kernel/result.js';
import { draw, type LineState, openLine, postFee, postPayment } from './line.js';
import { closeCycle } from './statement.js';
import { requestClose, transitionLine } from './status.js';

const d = parseDate;
const terms = lineTerms({ open_date: '2024-02-15' });
const tx = (amount: number, date: string) => ({ amount, date: d(date) });
function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function firstCycle(): LineState {
  let line = must(draw(openLine(terms), tx(100000, '2024-02-15')));
  line = must(draw(line, tx(50000, '2024-03-01')));
  line = must(postFee(line, { ...tx(1000, '2024-03-05'), description: 'annual' }));
  return must(postPayment(terms, line, tx(20000, '2024-03-10')));
}

describe('closeCycle', () => {
  it('produces the statement of a cycle', () => {
    const { statement, state } = must(closeCycle(terms, firstCycle(), d('2024-03-15')));
    // Daily principal: 1,000.00 for 30 days, + 500.00 for 15 days, − 190.00 (the payment after the $10 fee) for 6.
    expect(statement.sumOfDailyBalances).toBe(30 * 100000 + 15 * 50000 - 6 * 19000);
    expect(statement).toMatchObject({
      periodStart: '2024-02-15',
      periodEnd: '2024-03-15',
      statementDate: '2024-03-15',
      dueDate: '2024-04-09',
      daysInCycle: 30,
      openingBalance: 0,
      draws: 150000,
      payments: 20000,
      interest: 1793, // 3,636,000 × 18% / 365 = 1,793.10
      fees: 1000,
      closingBalance: 132793,
      closingPrincipal: 131000,
      pastDue: 0,
      // max($25.00, 2% × $1,310.00) + $17.93 interest + $10.00 fee
      minimumPayment: 2620 + 1793 + 1000,
      availableCredit: 500000 - 132793,
      averageDailyBalance: '121200.0000',
    });
    expect(daysBetween(statement.statementDate, statement.dueDate)).toBeGreaterThanOrEqual(21);
    expect(state).toMatchObject({
      cycleStart: '2024-03-16',
      cycleEnd: '2024-04-15',
      principal: 131000,
      interest: 1793,
      fees: 0,
      postings: [],
    });
  });

  it('assesses a missed late fee at close and carries the unpaid minimum as past due', () => {
    const first = must(closeCycle(terms, firstCycle(), d('2024-03-15'))).state;
    const { statement } = must(closeCycle(terms, first, d('2024-04-15')));
    // 31 days at 1,310.00: 4,061,000 × 18% / 365 = 2,002.68
    expect(statement).toMatchObject({ interest: 2003, fees: 3000, pastDue: 5413 });
    expect(statement.closingBalance).toBe(132793 + 2003 + 3000);
    expect(statement.minimumPayment).toBe(2620 + 2003 + 3000 + 5413);
  });

  it('refuses a date that is not the open cycle end', () => {
    const result = closeCycle(terms, firstCycle(), d('2024-03-14'));
    expect(!result.ok && result.error.code).toBe('not_cycle_end');
  });

  it('closes a closing line once a cycle ends with nothing owed', () => {
    let line = must(closeCycle(terms, firstCycle(), d('2024-03-15'))).state;
    line = must(requestClose(line));
    expect(line.status).toBe('closing');
    line = must(postPayment(terms, line, tx(132793, '2024-03-17')));
    // The payment counts from its posting day; 2024-03-16 still accrues: $1,310.00 × 18% / 365 = $0.65.
    const second = must(closeCycle(terms, line, d('2024-04-15')));
    expect(second.statement.interest).toBe(65);
    expect(second.state.status).toBe('closing');
    line = must(postPayment(terms, second.state, tx(65, '2024-04-20')));
    const third = must(closeCycle(terms, line, d('2024-05-15')));
    expect(third.statement).toMatchObject({ interest: 0, closingBalance: 0, minimumPayment: 0 });
    expect(third.state.status).toBe('closed');
  });

  it('stops interest on a charged-off line', () => {
    const line = must(transitionLine(firstCycle(), 'charged_off'));
    const { statement } = must(closeCycle(terms, line, d('2024-03-15')));
    expect(statement.interest).toBe(0);
    expect(statement.closingBalance).toBe(131000);
  });

  it('rounds the percentage part of the minimum to the installment multiple', () => {
    const wholeDollars = lineTerms(
      { open_date: '2024-02-15' },
      { rounding: { mode: 'ceiling', installment_multiple: 100 } },
    );
    const { statement } = must(closeCycle(wholeDollars, firstCycle(), d('2024-03-15')));
    expect(statement.minimumPayment).toBe(2700 + statement.interest + 1000);
  });
});
