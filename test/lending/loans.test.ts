import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, installmentTerms, setup } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const agrees = async (tenantId: string, asOf: string) =>
  expect(
    await reconcile(t.ctx.database.db, servicingOf, tenantId, {
      asOf: asOf as never,
      closeOfBusiness: false,
    }),
  ).toEqual([]);

describe('quotes', () => {
  it('gives the schedule, totals and the Truth in Lending disclosure without creating anything', async () => {
    const { call, programId } = await setup(t);
    const q = await call('POST', `/v1/programs/${programId}/quotes`, {
      principal: 1_200_000,
      disbursement_date: '2024-01-15',
    });
    expect(q.statusCode).toBe(200);
    const body = q.json();
    expect(body.schedule).toHaveLength(12);
    expect(body.schedule[0]).toEqual({
      number: 1,
      due_date: '2024-02-15',
      principal: 94_619,
      interest: 12_000,
      fees: 0,
      total: 106_619,
      balance: 1_105_381,
    });
    expect(body.totals).toMatchObject({ principal: 1_200_000, interest: 79_423, total: 1_279_423 });
    expect(body.disclosure).toMatchObject({
      apr: '12.00',
      amount_financed: 1_200_000,
      finance_charge: 79_423,
      total_of_payments: 1_279_423,
    });
    expect((await call('GET', '/v1/loans')).json().data).toEqual([]);
  });

  it('quotes and originates with grace on both principal and interest (installments of zero)', async () => {
    const { call, programId } = await setup(
      t,
      '2024-01-15',
      installmentTerms({
        term_count: { min: 3, max: 360, default: 12 },
        grace: { principal_periods: 2, interest_periods: 2 },
      }),
    );
    const request = { principal: 1_200_000, disbursement_date: '2024-01-15' };
    const q = await call('POST', `/v1/programs/${programId}/quotes`, request);
    expect(q.statusCode).toBe(200);
    const body = q.json();
    expect(body.schedule.slice(0, 2).map((r: { total: number }) => r.total)).toEqual([0, 0]);
    expect(body.schedule[2].interest).toBe(36_000); // three months of 1% on $12,000, the first two deferred
    expect(body.disclosure).toMatchObject({
      amount_financed: 1_200_000,
      finance_charge: body.totals.interest,
      total_of_payments: body.totals.total,
    });
    // Interest deferred without interest on it: a little under the nominal 12%.
    expect(Number(body.disclosure.apr)).toBeGreaterThan(11.8);
    expect(Number(body.disclosure.apr)).toBeLessThan(12);
    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    expect(created.json().disclosure).toEqual(body.disclosure);
  });

  it('rejects requests outside the program’s bounds, naming the field', async () => {
    const { call, programId } = await setup(t);
    const bad = async (request: Record<string, unknown>) => {
      const r = await call('POST', `/v1/programs/${programId}/quotes`, {
        disbursement_date: '2024-01-15',
        ...request,
      });
      expect(r.statusCode).toBe(422);
      expect(r.headers['content-type']).toContain('application/problem+json');
      return r.json().errors.map((e: { path: string }) => e.path);
    };
    expect(await bad({ principal: 0 })).toContain('principal');
    expect(await bad({ principal: -5 })).toContain('principal');
    expect(await bad({ principal: 100_000, annual_interest_rate: '36.01' })).toEqual([
      'annual_interest_rate',
    ]);
    expect(await bad({ principal: 100_000, term_count: 0 })).toEqual(['term_count']);
  });
});

describe('servicing an installment loan', () => {
  it('originates, takes payments, pays off and closes, the journal agreeing with the replay throughout', async () => {
    const { tenant, call, programId } = await setup(t);
    const created = await call('POST', '/v1/loans', {
      program_id: programId,
      principal: 1_200_000,
      disbursement_date: '2024-01-15',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'application',
      product: 'installment_loan',
      disclosure: {
        apr: '12.00',
        amount_financed: 1_200_000,
        finance_charge: 79_423,
        total_of_payments: 1_279_423,
      },
    });
    const id = created.json().id;
    expect((await call('POST', `/v1/loans/${id}/approve`)).json().loan.status).toBe('approved');
    const disbursed = await call('POST', `/v1/loans/${id}/disburse`);
    expect(disbursed.json()).toMatchObject({
      type: 'disburse',
      effective_date: '2024-01-15',
      loan: { status: 'active' },
    });
    await agrees(tenant.id, '2024-01-15');

    expect((await call('POST', '/v1/close-of-business', { date: '2024-02-14' })).statusCode).toBe(200);
    const paid = await call('POST', `/v1/loans/${id}/payments`, { amount: 106_619, currency: 'USD' });
    expect(paid.statusCode).toBe(201);
    expect(paid.json()).toMatchObject({
      type: 'payment',
      effective_date: '2024-02-15',
      amount: 106_619,
      allocation: [
        { installment: 1, component: 'interest', amount: 12_000, bucket: 'due' },
        { installment: 1, component: 'principal', amount: 94_619, bucket: 'due' },
      ],
      credit: 0,
      loan: { status: 'active', next_due_date: '2024-03-15' },
    });
    await agrees(tenant.id, '2024-02-15');

    const quote = await call('POST', `/v1/loans/${id}/payoff-quotes`);
    expect(quote.statusCode).toBe(200);
    expect(quote.json()).toMatchObject({
      date: '2024-02-15',
      principal: 1_105_381,
      interest: 0,
      total: 1_105_381,
    });
    const payoff = await call('POST', `/v1/loans/${id}/payments`, {
      amount: quote.json().total,
      payoff: true,
    });
    expect(payoff.json()).toMatchObject({ type: 'payoff', loan: { status: 'paid_off' } });
    await agrees(tenant.id, '2024-02-15');

    const detail = (await call('GET', `/v1/loans/${id}`)).json();
    expect(detail.outstanding).toEqual({ principal: 0, interest: 0, fees: 0, penalties: 0 });
    expect(detail.balances).toEqual({ cash: 12_000, interest_income: -12_000 });
    expect(detail.transactions.map((e: { type: string }) => e.type)).toEqual([
      'approve',
      'disburse',
      'payment',
      'payoff',
    ]);
    expect(detail.journal.map((e: { kind: string }) => e.kind)).toContain('accrual');
    expect(detail.delinquency).toEqual({ days_past_due: 0, bucket: 'current', oldest_unpaid_due: null });
    expect(detail.statements).toEqual([]);

    expect((await call('POST', `/v1/loans/${id}/close`)).json().loan.status).toBe('closed');
    const late = await call('POST', `/v1/loans/${id}/payments`, { amount: 100 });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      code: 'invalid_state_transition',
      status: 409,
      loan_status: 'closed',
    });
  });

  it('charges a late fee at due date + grace, ages delinquency, and a backdated payment restates it away', async () => {
    const { tenant, call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    await call('POST', '/v1/close-of-business', { date: '2024-03-01' });
    let loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan).toMatchObject({ status: 'delinquent', days_past_due: 15, delinquency_bucket: '1-30' });
    expect(loan.schedule[0].due.penalties).toBe(2500);
    expect(loan.balances.penalty_income).toBe(-2500);

    const backdated = await call('POST', `/v1/loans/${id}/payments`, {
      amount: 106_619,
      effective_date: '2024-02-20',
    });
    expect(backdated.statusCode).toBe(201);
    await agrees(tenant.id, '2024-03-02');
    loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan).toMatchObject({ status: 'active', days_past_due: 0 });
    expect(loan.schedule[0].due.penalties).toBe(0);
    expect(loan.balances.penalty_income).toBeUndefined();
    const kinds = loan.journal.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('restatement');
  });

  it('a reversal reprocesses every later transaction; an overpayment leaves a credit balance', async () => {
    const { tenant, call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    await call('POST', '/v1/close-of-business', { date: '2024-02-14' });
    const first = (await call('POST', `/v1/loans/${id}/payments`, { amount: 50_000 })).json();
    const second = (await call('POST', `/v1/loans/${id}/payments`, { amount: 60_000 })).json();
    expect(second.allocation[0]).toMatchObject({ installment: 1, component: 'principal' });
    const reversal = await call('POST', `/v1/loans/${id}/payment-reversals`, { payment_id: first.id });
    expect(reversal.statusCode).toBe(201);
    await agrees(tenant.id, '2024-02-15');
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    const tx = loan.transactions.find((e: { id: string }) => e.id === second.id);
    // Replayed without the first payment, the second now pays the interest first.
    expect(tx.allocation[0]).toMatchObject({ installment: 1, component: 'interest', amount: 12_000 });
    expect(loan.transactions.find((e: { id: string }) => e.id === first.id).reversed_on).toBe('2024-02-15');
    expect(
      (await call('POST', `/v1/loans/${id}/payment-reversals`, { payment_id: first.id })).json().code,
    ).toBe('duplicate_reversal');

    const over = await call('POST', `/v1/loans/${id}/payments`, { amount: 2_000_000 });
    expect(over.json()).toMatchObject({ loan: { status: 'overpaid' } });
    expect(over.json().loan.credit_balance).toBeGreaterThan(0);
    await agrees(tenant.id, '2024-02-15');
  });
});

describe('bad input writes nothing', () => {
  it('answers 4xx problem+json naming the field', async () => {
    const { call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    const before = (await call('GET', `/v1/loans/${id}`)).json();
    const cases: [unknown, number, string][] = [
      [{ amount: 1000, effective_date: '2024-01-14' }, 422, 'effective_date'],
      [{ amount: 1000, effective_date: '2024-01-16' }, 422, 'effective_date'],
      [{ amount: 1000, currency: 'EUR' }, 422, 'currency'],
      [{ amount: 0 }, 400, 'amount'],
      [{ amount: 1000, surprise: 1 }, 400, 'surprise'],
    ];
    for (const [body, status, field] of cases) {
      const r = await call('POST', `/v1/loans/${id}/payments`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const draw = await call('POST', `/v1/loans/${id}/draws`, { amount: 1000 });
    expect(draw.json()).toMatchObject({ status: 422, code: 'unsupported_action' });
    const after = (await call('GET', `/v1/loans/${id}`)).json();
    expect(after.version).toBe(before.version);
    expect(after.transactions).toEqual(before.transactions);
    expect(after.journal).toEqual(before.journal);

    const loan = await call('POST', '/v1/loans', {
      program_id: programId,
      principal: 0,
      disbursement_date: '2024-01-15',
    });
    expect(loan.statusCode).toBe(422);
    expect(loan.json().errors.map((e: { path: string }) => e.path)).toContain('principal');
    const unknownType = await call('POST', '/v1/programs', { name: 'x', program_type: 'payday', terms: {} });
    expect(unknownType.json()).toMatchObject({
      status: 422,
      supported_types: ['installment_loan', 'lease', 'line_of_credit'],
    });
    expect((await call('PUT', '/v1/business-date', { business_date: '2024-06-01' })).statusCode).toBe(409);
  });
});

describe('tenancy', () => {
  it('answers 404 for another tenant’s loans and programs on every route', async () => {
    const mine = await setup(t);
    const id = await activeLoan(mine.call, mine.programId);
    const theirs = await setup(t);
    const routes: ['GET' | 'POST', string, unknown][] = [
      ['GET', `/v1/loans/${id}`, undefined],
      ['POST', `/v1/loans/${id}/approve`, undefined],
      ['POST', `/v1/loans/${id}/reject`, undefined],
      ['POST', `/v1/loans/${id}/withdraw`, undefined],
      ['POST', `/v1/loans/${id}/disburse`, undefined],
      ['POST', `/v1/loans/${id}/charge-off`, undefined],
      ['POST', `/v1/loans/${id}/close`, undefined],
      ['POST', `/v1/loans/${id}/payments`, { amount: 100 }],
      ['POST', `/v1/loans/${id}/payment-reversals`, { payment_id: id }],
      ['POST', `/v1/loans/${id}/draws`, { amount: 100 }],
      ['POST', `/v1/loans/${id}/terminate`, {}],
      ['POST', `/v1/loans/${id}/payoff-quotes`, {}],
      ['POST', `/v1/programs/${mine.programId}/quotes`, { principal: 1000, disbursement_date: '2024-01-15' }],
    ];
    for (const [method, url, body] of routes) {
      const r = await theirs.call(method, url, body);
      expect(r.statusCode, url).toBe(404);
    }
    const borrowed = await theirs.call('POST', '/v1/loans', {
      program_id: mine.programId,
      principal: 1000,
      disbursement_date: '2024-01-15',
    });
    expect(borrowed.json()).toMatchObject({ status: 422, code: 'unknown_program' });
    expect((await theirs.call('GET', '/v1/loans')).json().data).toEqual([]);
  });

  it('replays a payment with the same Idempotency-Key and records it once', async () => {
    const { call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    const headers = { 'idempotency-key': 'pay-1' };
    const a = await call('POST', `/v1/loans/${id}/payments`, { amount: 5000 }, headers);
    const b = await call('POST', `/v1/loans/${id}/payments`, { amount: 5000 }, headers);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().id).toBe(a.json().id);
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.transactions.filter((e: { type: string }) => e.type === 'payment')).toHaveLength(1);
  });
});
