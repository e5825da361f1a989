import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setup } from '../lending/fixtures.js';
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
  expect(close.check.facts).toMatchObject({ disclosure_source: 'originator', computed_apr: own.apr_exact });

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
  expect(lenders.check.facts).toMatchObject({ disclosure_source: 'lender' });
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
