import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/kernel/dates.js';
import type { DomainEvent } from '../../src/kernel/events.js';
import { LENDING_EVENTS, reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, installmentTermsSchema, serviceToPayoff, setup } from './fixtures.js';

// Loans in tranches (domain/installment/tranches.ts, tranche-disbursement.ts; Fineract's multiDisburseLoan) over
// HTTP: in the OpenAPI document and the request schema, refused naming the field, planned tranches in the quote and
// its Truth in Lending disclosure, each later tranche through the one action path (Idempotency-Key, If-Match),
// close of business across it equal to the replay, then a payoff.

let t: TestApp;
const published: DomainEvent[] = [];
beforeAll(async () => {
  t = await startTestApp();
  for (const type of [LENDING_EVENTS.disbursed, LENDING_EVENTS.trancheDisbursed])
    t.ctx.platform.events.subscribe(type, async (events) => {
      published.push(...events);
    });
});
afterAll(() => t.close());

/** Fineract's ProgressiveEMICalculatorTest loan: 9.4822%, 30/360 progressive, monthly from 2024-01-01 over 6. */
const terms = installmentTerms({
  annual_interest_rate: { min: '0', max: '36', default: '9.4822' },
  interest_calculation: 'period_days',
  days_in_month: '30',
  days_in_year: '360',
  level_payment: 'period_rates',
  level_payment_adjustment: true,
  multi_disbursement: { max_tranches: 3, max_outstanding: 30_000 },
});
const request = {
  principal: 20_000,
  annual_interest_rate: '9.4822',
  term_count: 6,
  disbursement_date: '2024-01-01',
  tranches: [
    { date: '2024-01-01', amount: 10_000 },
    { date: '2024-02-15', amount: 10_000 },
  ],
};
const paths = (body: { errors?: { path: string }[] }) => body.errors?.map((e) => e.path);

describe('loans in tranches', () => {
  it('are in the OpenAPI document (program terms) and in the program type’s request schema', async () => {
    const program = await installmentTermsSchema(t);
    expect(program.properties).toHaveProperty('multi_disbursement');
    const types = (await t.call('GET', '/v1/program-types', { key: (await t.tenant()).key })).json();
    const installment = types.data.find(
      (d: { program_type: string }) => d.program_type === 'installment_loan',
    );
    expect(installment.request_schema.properties).toHaveProperty('tranches');
  });

  it('are refused naming the field: a program without them, a program that cannot follow them, bad tranches', async () => {
    const plain = await setup(t, '2024-01-01', installmentTerms());
    const refused = await plain.call('POST', `/v1/programs/${plain.programId}/quotes`, request);
    expect(refused.statusCode).toBe(422);
    expect(paths(refused.json())).toEqual(['tranches']);

    const daily = await plain.call('POST', '/v1/programs', {
      name: 'daily',
      program_type: 'installment_loan',
      terms: { ...terms, interest_calculation: 'daily' },
    });
    expect(daily.statusCode).toBe(422);
    expect(paths(daily.json())).toContain('terms.multi_disbursement');

    const { call, programId } = await setup(t, '2024-01-01', terms);
    const over = await call('POST', `/v1/programs/${programId}/quotes`, {
      ...request,
      tranches: [
        { date: '2024-01-01', amount: 10_000 },
        { date: '2024-02-15', amount: 10_001 },
      ],
    });
    expect(over.statusCode).toBe(422);
    expect(paths(over.json())).toEqual(['tranches']);
  });

  it('apply alike to the quote, the loan, each tranche’s action, close of business and the payoff', async () => {
    const app = await setup(t, '2024-01-01', terms);
    const { call, programId, tenant } = app;
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, request);
    expect(quote.statusCode).toBe(200);
    const q = quote.json();
    const totals = q.schedule.map((r: { total: number }) => r.total);
    expect(totals).toEqual([1713, 3753, 3753, 3753, 3753, 3753]);
    const interest = q.schedule.reduce((s: number, r: { interest: number }) => s + r.interest, 0);
    expect(q.disclosure).toMatchObject({
      amount_financed: 20_000,
      finance_charge: interest,
      transaction_kind: 'irregular',
    });

    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    // Serviced from the first tranche alone until the next is disbursed.
    const first = (await call('GET', `/v1/loans/${id}`)).json();
    expect(first.schedule.map((r: { total: number }) => r.total)).toEqual([
      1713, 1713, 1713, 1713, 1713, 1713,
    ]);

    const closed = await call('POST', '/v1/close-of-business', { date: '2024-02-14' });
    expect(closed.statusCode).toBe(200);
    await call('POST', `/v1/loans/${id}/payments`, { amount: 1713, effective_date: '2024-02-01' });

    const bad = await call('POST', `/v1/loans/${id}/tranches`, { amount: 0 });
    expect(bad.statusCode).toBe(400);
    const tooMuch = await call('POST', `/v1/loans/${id}/tranches`, { amount: 10_001 });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().code).toBe('tranche_exceeds_approved_amount');

    // A stale If-Match is refused and writes nothing; the current one with an Idempotency-Key applies once.
    const etag = (await call('GET', `/v1/loans/${id}`)).headers.etag as string;
    const stale = await call('POST', `/v1/loans/${id}/tranches`, { amount: 10_000 }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    const headers = { 'if-match': etag, 'idempotency-key': 'tranche-2' };
    const tranche = await call('POST', `/v1/loans/${id}/tranches`, { amount: 10_000 }, headers);
    expect(tranche.statusCode).toBe(201);
    expect(tranche.json()).toMatchObject({
      type: 'disburse_tranche',
      effective_date: '2024-02-15',
      amount: 10_000,
    });
    const again = await call('POST', `/v1/loans/${id}/tranches`, { amount: 10_000 }, headers);
    expect(again.json().id).toBe(tranche.json().id);
    // The first disbursement publishes lending.disbursed with the principal it paid out (the first tranche; its
    // loan event has no amount of its own), the tranche lending.tranche_disbursed with the tranche's amount, each
    // once, naming its own loan event.
    await t.ctx.platform.events.drain();
    const disbursed = (await call('GET', `/v1/loans/${id}`))
      .json()
      .transactions.find((e: { type: string }) => e.type === 'disburse');
    expect(
      published
        .filter((e) => e.payload.loan_id === id)
        .map((e) => [e.type, e.payload.event_id, e.payload.amount, e.payload.effective_date]),
    ).toEqual([
      [LENDING_EVENTS.disbursed, disbursed.id, 10_000, '2024-01-01'],
      [LENDING_EVENTS.trancheDisbursed, tranche.json().id, 10_000, '2024-02-15'],
    ]);

    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule.map((r: { total: number }) => r.total)).toEqual(totals);
    expect(
      await reconcile(t.ctx.database.db, servicingOf, tenant.id, {
        asOf: parseDate('2024-02-15'),
        closeOfBusiness: false,
      }),
    ).toEqual([]);

    // Close of business across the re-amortized installments, the second paid, then a payoff: equal to the replay.
    const serviced = await serviceToPayoff(t, app, id, {
      closeTo: '2024-03-10',
      payment: { amount: 3753, effective_date: '2024-03-01' },
    });
    expect(serviced).toEqual({ problems: [], status: 'paid_off' });
  });
});
