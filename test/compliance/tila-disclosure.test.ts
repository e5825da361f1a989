import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, setup } from '../lending/fixtures.js';
import { lineProgramTerms } from '../lending/line-of-credit-support.js';

// tila_apr_disclosure at lending's hooks over HTTP: a loan that comes with an originator's disclosure (what the
// borrower was told) is checked against the APR and finance charge lending computes by Appendix J from the loan's
// own schedule; a wrong one blocks the approval with the rule's citation and writes nothing.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const CITATION = '12 CFR 1026.18(d)-(e), 1026.22(a), Appendix J';

it('blocks an approval whose originator disclosed an APR or finance charge beyond tolerance', async () => {
  const { call, programId } = await setup(t);
  const rule = await call('POST', '/v1/provider-configs', {
    label: 'tila',
    service_type: 'compliance_rule',
    provider_key: 'tila_apr_disclosure',
    config: {},
  });
  expect(rule.statusCode, rule.body).toBe(201);
  const terms = {
    program_id: programId,
    principal: 1_200_000,
    annual_interest_rate: '12',
    disbursement_date: '2024-01-15',
  };
  // Lending's own figures for these terms: what an accurate originator would have disclosed.
  const own = (await call('POST', '/v1/loans', terms)).json().disclosure;
  const apr = new Decimal(own.apr_exact);
  const create = async (disclosed: Record<string, unknown>) => {
    const r = await call('POST', '/v1/loans', { ...terms, originator_disclosure: disclosed });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().originator_disclosure).toEqual(disclosed);
    return r.json().id as string;
  };
  const approve = async (id: string) => {
    const r = await call('POST', `/v1/loans/${id}/approve`);
    const checks = (
      await call('GET', `/v1/compliance/checks?subject_id=${id}&rule=tila_apr_disclosure`)
    ).json().data;
    return { r, check: checks[0] };
  };

  // 0.12 points over, inside the 1/8 point of a regular transaction; the finance charge $10 over ($10 tolerance).
  const close = await approve(
    await create({ apr: apr.plus('0.12').toFixed(2), finance_charge: own.finance_charge + 1_000 }),
  );
  expect(close.r.statusCode, close.r.body).toBe(201);
  expect(close.check).toMatchObject({ outcome: 'pass' });
  // Within tolerance the APR is not solved: the check records that it is within, and the figures it recomputed.
  expect(close.check.facts).toMatchObject({
    disclosure_source: 'originator',
    apr_within_tolerance: true,
    computed_apr: null,
    computed_finance_charge: own.finance_charge,
    amount_financed: own.amount_financed,
  });

  // 0.13 points over: beyond the 1/8 point.
  const wrongApr = await create({ apr: apr.plus('0.13').toFixed(2), finance_charge: own.finance_charge });
  const refused = await approve(wrongApr);
  expect(refused.r.statusCode).toBe(422);
  expect(refused.r.headers['content-type']).toContain('application/problem+json');
  expect(refused.r.json()).toMatchObject({
    code: 'compliance_blocked',
    rule: 'tila_apr_disclosure',
    citation: CITATION,
  });
  expect(refused.r.json().reasons[0]).toMatch(/beyond the 0\.125 tolerance of a regular transaction/);
  // A block explains itself with the solved APR.
  expect(refused.r.json().blocks[0].facts).toMatchObject({
    apr_within_tolerance: false,
    computed_apr: own.apr_exact,
  });
  expect((await call('GET', `/v1/loans/${wrongApr}`)).json().status).toBe('application');

  // The finance charge understated by $10.01, the APR right; and an amount financed that is not the loan's.
  const wrongCharge = await approve(
    await create({ apr: own.apr, finance_charge: own.finance_charge - 1_001, amount_financed: 1_200_000 }),
  );
  expect(wrongCharge.r.statusCode).toBe(422);
  expect(wrongCharge.check.reasons).toEqual([
    expect.stringMatching(/the disclosed finance charge .* beyond the 1026\.18\(d\) tolerance/),
  ]);
  const wrongAmount = await approve(
    await create({ apr: own.apr, finance_charge: own.finance_charge, amount_financed: 1_100_000 }),
  );
  expect(wrongAmount.r.json()).toMatchObject({ code: 'compliance_blocked', citation: CITATION });

  // Without an originator's figures the disclosure checked is lending's own, and the check says whose it was.
  const plain = (await call('POST', '/v1/loans', terms)).json().id as string;
  const lenders = await approve(plain);
  expect(lenders.r.statusCode).toBe(201);
  expect(lenders.check.facts).toMatchObject({ disclosure_source: 'lender', apr_within_tolerance: true });
});

it("checks lending's own disclosure against the loan's schedule and charges, computed again", async () => {
  // A program charging a $300 origination fee from the proceeds (a prepaid finance charge) and a $5 fee with
  // each installment that is a finance charge, and a $2 one that is not (a payment-by-mail fee, say).
  const { call, programId } = await setup(
    t,
    '2024-01-15',
    installmentTerms({
      charges: [
        { name: 'Origination', due: 'disbursement', amount: 30_000 },
        { name: 'Servicing', due: 'installment', amount: 500 },
        { name: 'Mail', due: 'installment', amount: 200, finance_charge: false },
      ],
    }),
  );
  expect(
    (
      await call('POST', '/v1/provider-configs', {
        label: 'tila',
        service_type: 'compliance_rule',
        provider_key: 'tila_apr_disclosure',
        config: {},
      })
    ).statusCode,
  ).toBe(201);
  const terms = {
    program_id: programId,
    principal: 1_200_000,
    annual_interest_rate: '12',
    disbursement_date: '2024-01-15',
  };
  const check = async (id: string) =>
    (await call('GET', `/v1/compliance/checks?subject_id=${id}&rule=tila_apr_disclosure`)).json().data[0];

  // Its own disclosure, as lending computed it: the figures recomputed from the schedule and charges agree.
  const right = (await call('POST', '/v1/loans', terms)).json();
  expect(right.disclosure.amount_financed).toBe(1_170_000);
  const approved = await call('POST', `/v1/loans/${right.id}/approve`);
  expect(approved.statusCode, approved.body).toBe(201);
  expect((await check(right.id)).facts).toMatchObject({
    disclosure_source: 'lender',
    apr_within_tolerance: true,
    computed_finance_charge: right.disclosure.finance_charge,
    amount_financed: 1_170_000,
    total_of_payments: right.disclosure.total_of_payments,
  });

  // A disclosure stored without the charges in the finance charge (as computed by a system that left them out,
  // or before the program charged them): the recomputation counts them, and the approval is blocked.
  const db = t.ctx.database.db;
  const stored = async (disclosure: Record<string, unknown>) => {
    const id = (await call('POST', '/v1/loans', terms)).json().id as string;
    await db.execute(
      sql`UPDATE loans SET disclosure = ${JSON.stringify(disclosure)}::jsonb WHERE id = ${id}`,
    );
    return id;
  };
  const charges = 30_000 + 12 * 500;
  const withoutCharges = await stored({
    ...right.disclosure,
    apr: '12.00',
    finance_charge: right.disclosure.finance_charge - charges,
    amount_financed: 1_200_000,
    total_of_payments: right.disclosure.total_of_payments - 12 * 500,
  });
  const refused = await call('POST', `/v1/loans/${withoutCharges}/approve`);
  expect(refused.statusCode).toBe(422);
  expect(refused.json()).toMatchObject({ code: 'compliance_blocked', rule: 'tila_apr_disclosure' });
  expect((await check(withoutCharges)).reasons).toEqual([
    expect.stringMatching(/the disclosed APR .* of the loan's schedule, beyond the 0\.125 tolerance/),
    expect.stringMatching(/the disclosed finance charge .* beyond the 1026\.18\(d\) tolerance/),
    'the disclosed amount financed $12000.00 is not $11700.00',
  ]);

  // The disclosure of a quote at 11% stored on a loan made at 12% (terms changed after the quote).
  const quoted = await call('POST', `/v1/programs/${programId}/quotes`, {
    principal: 1_200_000,
    annual_interest_rate: '11',
    disbursement_date: '2024-01-15',
  });
  expect(quoted.statusCode, quoted.body).toBe(200);
  // The quote itself passes: its disclosure is of its own schedule (charges included).
  expect(quoted.json().compliance).toMatchObject({ outcome: 'pass' });
  const quote = quoted.json();
  const staleQuote = await stored(quote.disclosure);
  const stale = await call('POST', `/v1/loans/${staleQuote}/approve`);
  expect(stale.statusCode).toBe(422);
  expect((await check(staleQuote)).facts).toMatchObject({
    disclosed_apr: quote.disclosure.apr,
    apr_within_tolerance: false,
    computed_apr: right.disclosure.apr_exact,
  });
});

it('refuses an originator disclosure on a product without a closed-end APR, and a malformed one', async () => {
  const { call, programId } = await setup(t);
  const bad = await call('POST', '/v1/loans', {
    program_id: programId,
    principal: 1_200_000,
    disbursement_date: '2024-01-15',
    originator_disclosure: { apr: 'ten', finance_charge: -1 },
  });
  expect(bad.statusCode).toBeGreaterThanOrEqual(400);
  expect(bad.statusCode).toBeLessThan(500);
  const paths = (bad.json().errors as { path: string }[]).map((e) => e.path);
  expect(paths).toEqual(
    expect.arrayContaining(['originator_disclosure.apr', 'originator_disclosure.finance_charge']),
  );
  const line = await call('POST', '/v1/programs', {
    name: 'Line',
    program_type: 'line_of_credit',
    terms: lineProgramTerms(),
  });
  expect(line.statusCode, line.body).toBe(201);
  const refused = await call('POST', '/v1/loans', {
    program_id: line.json().id,
    credit_limit: 500_000,
    open_date: '2024-01-15',
    originator_disclosure: { apr: '18', finance_charge: 0 },
  });
  expect(refused.statusCode).toBe(422);
  expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'originator_disclosure' })]);
});
