import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLease, fedLease, leaseProgramTerms, leaseTenant } from './lease-support.js';
import { agrees as agreeWith, closeThrough, created } from './products-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const agrees = (tenantId: string, businessDate: string) => agreeWith(t, tenantId, 'lease', businessDate);

describe('the Federal Reserve lease example, to the cent', () => {
  it('through the HTTP quote', async () => {
    const { call, programId } = await leaseTenant(t);
    const q = await call('POST', `/v1/programs/${programId}/quotes`, fedLease);
    expect(q.statusCode).toBe(200);
    const body = q.json();
    expect(body.base_payment).toBe(24_469);
    expect(body.schedule).toHaveLength(48);
    expect(body.schedule[0]).toEqual({
      number: 1,
      due_date: '2024-01-15',
      principal: 11_330,
      interest: 13_139,
      fees: 1_468,
      total: 25_937,
      balance: 1_868_670,
      payment: 24_469,
      rent_charge: 13_139,
      depreciation: 11_330,
      tax: 1_468,
    });
    expect(body.schedule.at(-1)).toMatchObject({ due_date: '2027-12-15', balance: 1_235_000 });
    expect(body.totals.depreciation).toBe(1_880_000 - 1_235_000);
    expect(body.disclosure).toMatchObject({
      lease_rate: '8.497',
      adjusted_capitalized_cost: 1_880_000,
      residual_value: 1_235_000,
      base_payment: 24_469,
      money_factor_shortcut_payment: 24_466,
    });
    expect(body.maturity_date).toBe('2028-01-15');
    expect((await call('GET', '/v1/loans')).json().data).toEqual([]);
  });

  it('through a serviced lease: commencement, the first payment and a month of rent', async () => {
    const { tenant, call, programId } = await leaseTenant(t);
    const application = await call('POST', '/v1/loans', { program_id: programId, ...fedLease });
    expect(application.statusCode).toBe(201);
    expect(application.json()).toMatchObject({
      product: 'lease',
      status: 'application',
      amount: 1_880_000,
      maturity_date: '2028-01-15',
      disclosure: { base_payment: 24_469 },
    });
    const id = application.json().id;
    await created(call, `/v1/loans/${id}/approve`);
    expect((await created(call, `/v1/loans/${id}/disburse`)).loan.status).toBe('active');
    const paid = await created(call, `/v1/loans/${id}/payments`, { amount: 25_937, currency: 'USD' });
    expect(paid.allocation).toEqual([
      { installment: 1, component: 'tax', amount: 1_468 },
      { installment: 1, component: 'rent_charge', amount: 13_139 },
      { installment: 1, component: 'depreciation', amount: 11_330 },
    ]);
    await agrees(tenant.id, '2024-01-15');
    await closeThrough(call, '2024-02-14');
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule[0]).toMatchObject({ rent_charge: 13_139, depreciation: 11_330, balance: 1_868_670 });
    // Month 1 is over: its rent charge is earned exactly, and the lease balance is the schedule's.
    expect(loan.balances).toEqual({
      cash: -1_880_000 + 25_937,
      lease_receivable: 1_868_670,
      rent_income: -13_139,
      sales_tax_payable: -1_468,
    });
    expect(loan.outstanding).toEqual({ lease_balance: 1_868_670, rent: 0, late_fees: 0, termination: 0 });
    expect(loan.next_due_date).toBe('2024-02-15');
    await agrees(tenant.id, '2024-02-15');
  });
});

describe('servicing a lease', () => {
  it('charges a late fee after the grace days, ages the lease, and a backdated payment restates it away', async () => {
    const { tenant, call, programId } = await leaseTenant(t);
    const id = await activeLease(call, programId);
    await created(call, `/v1/loans/${id}/payments`, { amount: 25_937 });
    await closeThrough(call, '2024-02-25');
    let loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule[1].due.penalties).toBe(2_500);
    expect(loan.delinquency).toEqual({ days_past_due: 10, bucket: '1-30', oldest_unpaid_due: '2024-02-15' });
    expect(loan.status).toBe('active');
    await created(call, `/v1/loans/${id}/payments`, { amount: 25_937, effective_date: '2024-02-20' });
    loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule[1].due.penalties).toBe(0);
    expect(loan.balances.penalty_income).toBeUndefined();
    expect(loan.delinquency.days_past_due).toBe(0);
    expect(loan.journal.map((e: { kind: string }) => e.kind)).toContain('restatement');
    await agrees(tenant.id, '2024-02-26');
  });

  it('a reversal reprocesses: the late fee the payment avoided is charged', async () => {
    const { tenant, call, programId } = await leaseTenant(t);
    const id = await activeLease(call, programId);
    await created(call, `/v1/loans/${id}/payments`, { amount: 25_937 });
    await closeThrough(call, '2024-02-14');
    const second = await created(call, `/v1/loans/${id}/payments`, { amount: 25_937 });
    await closeThrough(call, '2024-03-01');
    await created(call, `/v1/loans/${id}/payment-reversals`, { payment_id: second.id });
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule[1].due.penalties).toBe(2_500);
    expect(loan.transactions.find((e: { id: string }) => e.id === second.id).reversed_on).toBe('2024-03-02');
    expect(loan.delinquency.days_past_due).toBe(16);
    await agrees(tenant.id, '2024-03-02');
  });

  it('terminates early at the quoted amount, takes the payment and closes', async () => {
    const { tenant, call, programId } = await leaseTenant(t);
    const id = await activeLease(call, programId);
    await created(call, `/v1/loans/${id}/payments`, { amount: 25_937 });
    await closeThrough(call, '2024-02-14');
    await created(call, `/v1/loans/${id}/payments`, { amount: 25_937 });
    await closeThrough(call, '2024-03-19'); // the March payment is due and unpaid, its grace days not over
    const quote = await call('POST', `/v1/loans/${id}/payoff-quotes`, { realized_value: 1_700_000 });
    expect(quote.statusCode).toBe(200);
    const schedule = (await call('GET', `/v1/loans/${id}`)).json().schedule;
    const balance = schedule[2].balance; // after the three payments due before the termination date
    // Adjusted lease balance − realized value + $200 early-termination fee + $395 disposition fee.
    const charge = balance - 1_700_000 + 20_000 + 39_500;
    expect(quote.json()).toEqual({
      termination: 'early',
      date: '2024-03-20',
      unpaid_payments: 25_937,
      prepaid_payments: 0,
      late_fees: 0,
      other_charges: 0,
      adjusted_lease_balance: balance,
      early_termination_fee: 20_000,
      disposition_fee: 39_500,
      early_termination_payoff: balance + 20_000 + 39_500,
      realized_value: 1_700_000,
      surplus_credited: 0,
      early_termination_charge: charge,
      total_due: 25_937 + charge,
      refund_due: 0,
    });
    const ended = await created(call, `/v1/loans/${id}/terminate`, {
      type: 'early',
      realized_value: 1_700_000,
    });
    expect(ended).toMatchObject({ type: 'terminate', total_due: quote.json().total_due });
    expect(ended.loan.status).toBe('early_terminated');
    let loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.outstanding).toEqual({
      lease_balance: 0,
      rent: 0,
      late_fees: 0,
      termination: quote.json().total_due,
    });
    expect(loan.balances.returned_vehicles).toBe(1_700_000);
    expect((await call('POST', `/v1/loans/${id}/close`)).json().code).toBe('balance_outstanding');
    await created(call, `/v1/loans/${id}/payments`, { amount: quote.json().total_due });
    expect((await created(call, `/v1/loans/${id}/close`)).loan.status).toBe('closed');
    loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.outstanding).toEqual({ lease_balance: 0, rent: 0, late_fees: 0, termination: 0 });
    const late = await call('POST', `/v1/loans/${id}/payments`, { amount: 100 });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      status: 409,
      code: 'invalid_state_transition',
      loan_status: 'closed',
    });
    await agrees(tenant.id, '2024-03-20');
  });

  it('returns or sells the vehicle at maturity', async () => {
    const terms = leaseProgramTerms({ term_count: { min: 1, max: 60, default: 3 } });
    const { tenant, call, programId } = await leaseTenant(t, '2024-01-15', terms);
    const returned = await activeLease(call, programId, { residual_value: 1_500_000 });
    const bought = await activeLease(call, programId, { residual_value: 1_500_000 });
    for (const id of [returned, bought]) await created(call, `/v1/loans/${id}/payments`, { amount: 400_000 });
    const early = await call('POST', `/v1/loans/${bought}/terminate`, { type: 'purchase' });
    expect(early.json()).toMatchObject({
      status: 409,
      code: 'lease_not_matured',
      maturity_date: '2024-04-15',
    });
    await closeThrough(call, '2024-04-14');

    const q = (await call('POST', `/v1/loans/${bought}/payoff-quotes`, {})).json();
    const paid = (await call('GET', `/v1/loans/${bought}`)).json().schedule;
    const unpaid = paid.reduce(
      (s: number, r: { outstanding: { principal: number; interest: number; fees: number } }) =>
        s + r.outstanding.principal + r.outstanding.interest + r.outstanding.fees,
      0,
    );
    expect(q).toMatchObject({
      termination: 'purchase',
      date: '2024-04-15',
      residual_value: 1_500_000,
      purchase_option_fee: 30_000,
    });
    // The last payment was short: it owes the rest and its late fee.
    expect(q.late_fees).toBe(2_500);
    expect(q.total_due).toBe(1_500_000 + 30_000 + unpaid + 2_500);
    const sold = await created(call, `/v1/loans/${bought}/terminate`, { type: 'purchase' });
    expect(sold).toMatchObject({ total_due: q.total_due, loan: { status: 'purchased' } });

    const back = await created(call, `/v1/loans/${returned}/terminate`, {
      type: 'return',
      realized_value: 1_450_000,
    });
    expect(back).toMatchObject({
      residual_value: 1_500_000,
      realized_value: 1_450_000,
      disposition_fee: 39_500,
    });
    const loan = (await call('GET', `/v1/loans/${returned}`)).json();
    expect(loan.status).toBe('returned');
    // The lessor bears the residual: $500.00 under it is its loss; the lessee owes the disposition fee and the rest.
    expect(loan.balances.residual_gain_loss).toBe(50_000);
    expect(loan.balances.returned_vehicles).toBe(1_450_000);
    expect(loan.outstanding.termination).toBe(back.total_due);
    await agrees(tenant.id, '2024-04-15');
  });
});

describe('bad input writes nothing', () => {
  it('answers 4xx naming the field', async () => {
    const { call, programId } = await leaseTenant(t);
    const id = await activeLease(call, programId);
    const before = (await call('GET', `/v1/loans/${id}`)).json();
    const cases: [string, unknown, number, string, string][] = [
      ['payments', { amount: 100, currency: 'EUR' }, 422, 'currency', 'currency_mismatch'],
      [
        'payments',
        { amount: 100, effective_date: '2024-01-16' },
        422,
        'effective_date',
        'effective_date_after_business_date',
      ],
      [
        'payments',
        { amount: 100, effective_date: '2024-01-14' },
        422,
        'effective_date',
        'effective_date_before_disbursement',
      ],
      ['payments', { amount: 100_000_000 }, 422, 'amount', 'payment_exceeds_balance'],
      ['terminate', { type: 'early' }, 422, 'realized_value', 'validation_failed'],
      ['terminate', { type: 'swap' }, 422, 'type', 'validation_failed'],
      ['terminate', { type: 'return' }, 409, '', 'lease_not_matured'],
      ['draws', { amount: 100 }, 422, '', 'unsupported_action'],
      ['payoff-quotes', { realized_value: -1 }, 422, 'realized_value', 'validation_failed'],
    ];
    for (const [path, body, status, field, code] of cases) {
      const r = await call('POST', `/v1/loans/${id}/${path}`, body);
      expect(r.statusCode, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.json().code).toBe(code);
      if (field) expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const after = (await call('GET', `/v1/loans/${id}`)).json();
    expect(after.version).toBe(before.version);
    expect(after.journal).toEqual(before.journal);
  });

  it('answers 404 for another tenant’s lease on every route', async () => {
    const mine = await leaseTenant(t);
    const id = await activeLease(mine.call, mine.programId);
    const theirs = await leaseTenant(t);
    const routes: ['GET' | 'POST', string, unknown][] = [
      ['GET', `/v1/loans/${id}`, undefined],
      ['POST', `/v1/loans/${id}/payments`, { amount: 100 }],
      ['POST', `/v1/loans/${id}/payment-reversals`, { payment_id: id }],
      ['POST', `/v1/loans/${id}/terminate`, { type: 'early', realized_value: 1 }],
      ['POST', `/v1/loans/${id}/payoff-quotes`, {}],
      ['POST', `/v1/loans/${id}/close`, undefined],
      ['POST', `/v1/programs/${mine.programId}/quotes`, fedLease],
    ];
    for (const [method, url, body] of routes)
      expect((await theirs.call(method, url, body)).statusCode, url).toBe(404);
  });
});
