import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { lineTenant, openLine } from './line-of-credit-support.js';
import { agrees as agreeWith, closeThrough, created } from './products-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The store equals the replay of the open business day. */
const agrees = (tenantId: string, businessDate: string) =>
  agreeWith(t, tenantId, 'line_of_credit', businessDate);

describe('line-of-credit quotes and origination', () => {
  it('quotes the terms and the open-end disclosure without creating anything', async () => {
    const { call, programId } = await lineTenant(t);
    const q = await call('POST', `/v1/programs/${programId}/quotes`, {
      credit_limit: 500_000,
      open_date: '2024-01-10',
    });
    expect(q.statusCode).toBe(200);
    expect(q.json()).toMatchObject({
      product: 'line_of_credit',
      schedule: [],
      terms: { credit_limit: 500_000, annual_interest_rate: '18', cycle_day: 15, payment_due_days: 25 },
      disclosure: { apr: '18', daily_periodic_rate: '0.000493150684932' },
    });
    const bad = await call('POST', `/v1/programs/${programId}/quotes`, {
      credit_limit: 10,
      open_date: '2024-01-10',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['credit_limit']);
    expect((await call('GET', '/v1/loans')).json().data).toEqual([]);
  });
});

describe('servicing a line of credit', () => {
  it('bills cycles into statements that agree with the journal', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    expect((await call('GET', `/v1/loans/${id}`)).json()).toMatchObject({
      status: 'active',
      amount: 500_000,
      line: { credit_limit: 500_000, balance: 0, available_credit: 500_000 },
      statements: [],
    });
    const drawn = await created(call, `/v1/loans/${id}/draws`, { amount: 100_000, currency: 'USD' });
    expect(drawn).toMatchObject({
      type: 'draw',
      amount: 100_000,
      over_limit: false,
      available_credit: 400_000,
    });
    await agrees(tenant.id, '2024-01-10');

    await closeThrough(call, '2024-01-31');
    await created(call, `/v1/loans/${id}/draws`, { amount: 50_000 });
    await closeThrough(call, '2024-02-04');
    await created(call, `/v1/loans/${id}/fees`, { amount: 1_000, description: 'annual' });
    await closeThrough(call, '2024-02-08');
    // The first statement's minimum ($27.96: $25.00 floor + $2.96 interest) is paid in time, with more.
    const paid = await created(call, `/v1/loans/${id}/payments`, { amount: 20_000 });
    expect(paid.allocation).toEqual({ fees: 1_000, interest: 296, principal: 18_704 });
    await agrees(tenant.id, '2024-02-09');
    await closeThrough(call, '2024-02-15');

    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    const [second, first] = loan.statements;
    expect(first).toMatchObject({
      number: 1,
      period_start: '2024-01-10',
      period_end: '2024-01-15',
      due_date: '2024-02-09',
      opening_balance: 0,
      draws: 100_000,
      interest: 296, // 6 days of $1,000.00 at 18% / 365
      closing_balance: 100_296,
      minimum_payment: 2_796,
      average_daily_balance: '100000.0000',
    });
    // 16 days at $1,000.00, 8 days at $1,500.00 from Feb 1, then 7 days at $1,312.96 after the payment.
    const sum = 16 * 100_000 + 8 * 150_000 + 7 * 131_296;
    expect(second).toMatchObject({
      number: 2,
      period_start: '2024-01-16',
      period_end: '2024-02-15',
      statement_date: '2024-02-15',
      due_date: '2024-03-11',
      days_in_cycle: 31,
      opening_balance: 100_296,
      draws: 50_000,
      payments: 20_000,
      fees: 1_000,
      interest: Math.round((sum * 0.18) / 365),
      sum_of_daily_balances: sum,
      past_due: 0,
    });
    expect(second.closing_balance).toBe(100_296 + 50_000 - 20_000 + 1_000 + second.interest);
    // max($25.00, 2% of principal) + the cycle's interest and fees.
    expect(second.minimum_payment).toBe(
      Math.max(2_500, Math.round(131_296 * 0.02)) + second.interest + 1_000,
    );
    // On the statement date the journal's receivables are the statement's closing balance.
    const b = loan.balances;
    expect(b.loans_receivable + b.interest_receivable + (b.fees_receivable ?? 0)).toBe(
      second.closing_balance,
    );
    expect(loan.line).toMatchObject({ balance: second.closing_balance, interest_accrued: 0 });
    expect(loan.next_due_date).toBe('2024-03-11');
    await agrees(tenant.id, '2024-02-16');
  });

  it('charges a late fee when the minimum is not paid by the due date and ages the line', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    await created(call, `/v1/loans/${id}/draws`, { amount: 100_000 });
    await closeThrough(call, '2024-02-09'); // the due date passes unpaid
    let loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.balances.fee_income).toBeUndefined();
    await closeThrough(call, '2024-02-10');
    loan = (await call('GET', `/v1/loans/${id}`)).json();
    // $30.00 flat, capped at the $27.96 minimum payment it is late on.
    expect(loan.balances.fee_income).toBe(-2_796);
    expect(loan.journal.at(-2)).toMatchObject({ entry_date: '2024-02-10', kind: 'charge' });
    expect(loan.delinquency).toEqual({ days_past_due: 1, bucket: '1-30', oldest_unpaid_due: '2024-02-09' });
    await closeThrough(call, '2024-02-15');
    loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.statements[0]).toMatchObject({ number: 2, fees: 2_796, past_due: 2_796 });
    // Still past due from the first statement's due date: the new minimum carries the unpaid one.
    expect(loan.delinquency).toMatchObject({ days_past_due: 6, oldest_unpaid_due: '2024-02-09' });

    // The minimum carried over (past due) is paid: the line is current until the next due date.
    await created(call, `/v1/loans/${id}/payments`, { amount: 2_796 });
    loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.delinquency).toEqual({
      days_past_due: 0,
      bucket: 'current',
      oldest_unpaid_due: '2024-03-11',
    });
    await agrees(tenant.id, '2024-02-16');
  });

  it('a backdated payment restates the closed cycle and its statement; a reversal restates it back', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    await created(call, `/v1/loans/${id}/draws`, { amount: 200_000 });
    await closeThrough(call, '2024-02-20');
    const before = (await call('GET', `/v1/loans/${id}`)).json();
    const back = await created(call, `/v1/loans/${id}/payments`, {
      amount: 100_000,
      effective_date: '2024-01-20',
    });
    const after = (await call('GET', `/v1/loans/${id}`)).json();
    expect(after.statements[0].interest).toBeLessThan(before.statements[0].interest);
    // Paid before the first due date: no late fee any more, and nothing past due.
    expect(after.balances.fee_income).toBeUndefined();
    expect(after.statements[0].past_due).toBe(0);
    expect(after.journal.map((e: { kind: string }) => e.kind)).toContain('restatement');
    await agrees(tenant.id, '2024-02-21');

    await created(call, `/v1/loans/${id}/payment-reversals`, { payment_id: back.id });
    const reversed = (await call('GET', `/v1/loans/${id}`)).json();
    expect(reversed.statements).toEqual(before.statements);
    expect(reversed.balances).toEqual(before.balances);
    expect(reversed.transactions.find((e: { id: string }) => e.id === back.id).reversed_on).toBe(
      '2024-02-21',
    );
    await agrees(tenant.id, '2024-02-21');
  });

  it('freezes, unfreezes and closes: a closing line closes on the cycle that ends with nothing owed', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    await created(call, `/v1/loans/${id}/draws`, { amount: 10_000 });
    expect((await created(call, `/v1/loans/${id}/freeze`)).loan.status).toBe('frozen');
    const refused = await call('POST', `/v1/loans/${id}/draws`, { amount: 1_000 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'line_not_active', loan_status: 'frozen' });
    expect((await created(call, `/v1/loans/${id}/unfreeze`)).loan.status).toBe('active');
    expect((await call('POST', `/v1/loans/${id}/unfreeze`)).statusCode).toBe(409);

    expect((await created(call, `/v1/loans/${id}/close`)).loan.status).toBe('closing');
    await closeThrough(call, '2024-01-15');
    const owed = (await call('GET', `/v1/loans/${id}`)).json().statements[0].closing_balance;
    await created(call, `/v1/loans/${id}/payments`, { amount: owed });
    await closeThrough(call, '2024-02-15');
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.status).toBe('closed');
    expect(loan.statements[0]).toMatchObject({ number: 2, closing_balance: 0, minimum_payment: 0 });
    expect(loan.balances).toMatchObject({ cash: loan.balances.interest_income * -1 });
    const late = await call('POST', `/v1/loans/${id}/payments`, { amount: 100 });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ status: 409, code: 'line_not_active', loan_status: 'closed' });
    await agrees(tenant.id, '2024-02-16');
  });

  it('quotes what the line owes: the billed balance and the interest accrued since the statement', async () => {
    const { call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    await created(call, `/v1/loans/${id}/draws`, { amount: 100_000 });
    await closeThrough(call, '2024-01-20');
    const q = await call('POST', `/v1/loans/${id}/payoff-quotes`, {});
    expect(q.statusCode).toBe(200);
    // Billed on Jan 15: $1,000.00 + $2.96; accrued Jan 16-20: 5 days at $1,000.00.
    expect(q.json()).toEqual({
      date: '2024-01-21',
      principal: 100_000,
      interest: 296,
      fees: 0,
      balance: 100_296,
      interest_accrued: Math.round((5 * 100_000 * 0.18) / 365),
      total: 100_296 + Math.round((5 * 100_000 * 0.18) / 365),
    });
  });
});

describe('bad input writes nothing', () => {
  it('answers 4xx naming the field', async () => {
    const { call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    await created(call, `/v1/loans/${id}/draws`, { amount: 450_000 });
    const before = (await call('GET', `/v1/loans/${id}`)).json();
    const cases: [string, unknown, number, string, string][] = [
      ['draws', { amount: 50_001 }, 422, 'amount', 'insufficient_available_credit'],
      ['draws', { amount: 100, currency: 'EUR' }, 422, 'currency', 'currency_mismatch'],
      [
        'draws',
        { amount: 100, effective_date: '2024-01-11' },
        422,
        'effective_date',
        'effective_date_after_business_date',
      ],
      [
        'draws',
        { amount: 100, effective_date: '2024-01-09' },
        422,
        'effective_date',
        'effective_date_before_disbursement',
      ],
      ['payments', { amount: 450_001 }, 422, 'amount', 'payment_exceeds_balance'],
      ['payments', { amount: 100, payoff: true }, 422, '', 'unsupported_action'],
      ['payment-reversals', { payment_id: id }, 422, 'payment_id', 'unknown_payment'],
      ['fees', { amount: -1 }, 400, 'amount', 'validation_failed'],
      ['terminate', {}, 422, '', 'unsupported_action'],
    ];
    for (const [path, body, status, field, code] of cases) {
      const r = await call('POST', `/v1/loans/${id}/${path}`, body);
      expect(r.statusCode, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      if (status === 422) expect(r.json().code).toBe(code);
      if (field) expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const after = (await call('GET', `/v1/loans/${id}`)).json();
    expect(after.version).toBe(before.version);
    expect(after.transactions).toEqual(before.transactions);
    expect(after.journal).toEqual(before.journal);
  });
});

describe('tenancy and idempotency', () => {
  it('answers 404 for another tenant’s line on every route', async () => {
    const mine = await lineTenant(t);
    const id = await openLine(mine.call, mine.programId);
    const theirs = await lineTenant(t);
    const routes: ['GET' | 'POST', string, unknown][] = [
      ['GET', `/v1/loans/${id}`, undefined],
      ['POST', `/v1/loans/${id}/draws`, { amount: 100 }],
      ['POST', `/v1/loans/${id}/payments`, { amount: 100 }],
      ['POST', `/v1/loans/${id}/fees`, { amount: 100 }],
      ['POST', `/v1/loans/${id}/freeze`, undefined],
      ['POST', `/v1/loans/${id}/unfreeze`, undefined],
      ['POST', `/v1/loans/${id}/close`, undefined],
      ['POST', `/v1/loans/${id}/payoff-quotes`, {}],
      ['POST', `/v1/programs/${mine.programId}/quotes`, { credit_limit: 500_000, open_date: '2024-01-10' }],
    ];
    for (const [method, url, body] of routes)
      expect((await theirs.call(method, url, body)).statusCode, url).toBe(404);
  });

  it('records a draw once for a repeated Idempotency-Key', async () => {
    const { tenant, programId } = await lineTenant(t);
    const call = (body: unknown) =>
      t.call('POST', `/v1/loans/${id}/draws`, {
        key: tenant.key,
        body,
        headers: { 'idempotency-key': 'draw-1' },
      });
    const id = await openLine((m, u, b) => t.call(m, u, { key: tenant.key, body: b }), programId);
    const a = await call({ amount: 5_000 });
    const b = await call({ amount: 5_000 });
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().id).toBe(a.json().id);
    const loan = (await t.call('GET', `/v1/loans/${id}`, { key: tenant.key })).json();
    expect(loan.line.principal).toBe(5_000);
  });
});
