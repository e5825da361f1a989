import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { csvMultipart as multipart } from '../helpers/multipart.js';
import { activeLoan, setup } from '../lending/fixtures.js';

// The compliance gate over HTTP: rules configured as compliance_rule provider configs, evaluated at lending's and
// tenancy's hook points, every evaluation stored, a block refused with a problem naming the rule and its citation.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Call = Awaited<ReturnType<typeof setup>>['call'];

const rule = async (call: Call, key: string, config: Record<string, unknown>) => {
  const r = await call('POST', '/v1/provider-configs', {
    label: key,
    service_type: 'compliance_rule',
    provider_key: key,
    config,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
};

const customer = async (call: Call, body: Record<string, unknown> = {}) => {
  const r = await call('POST', '/v1/customers', {
    legal_name: 'Ada Borrower',
    address: { lines: ['1 Main St'], city: 'Austin', state: 'TX', country: 'US' },
    time_zone: 'America/Chicago',
    ...body,
  });
  return r;
};

const SAMPLE = 'src/modules/compliance/domain/ofac/sample';

describe('compliance rules at lending hooks', () => {
  it('a rule config that fails its schema is a 422 naming the field', async () => {
    const { call } = await setup(t);
    const r = await call('POST', '/v1/provider-configs', {
      label: 'caps',
      service_type: 'compliance_rule',
      provider_key: 'state_rate_cap',
      config: { caps: [{ state: 'TX', max_rate_percent: 'lots' }], surprise: true },
    });
    expect(r.statusCode).toBe(422);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const paths = (r.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['config.caps.0.max_rate_percent']));
  });

  it('blocks an approval over the state cap (422 naming rule and citation), writes nothing, stores the check', async () => {
    const { call, programId } = await setup(t);
    const borrower = (await customer(call)).json().id as string;
    await rule(call, 'state_rate_cap', {
      caps: [
        { state: 'TX', max_rate_percent: '10', rate_basis: 'note_rate', citation: 'Tex. Fin. Code 342.201' },
      ],
    });
    const created = await call('POST', '/v1/loans', {
      program_id: programId,
      customer_id: borrower,
      principal: 500_000,
      annual_interest_rate: '18',
      disbursement_date: '2024-01-15',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;

    const refused = await call('POST', `/v1/loans/${id}/approve`);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json();
    expect(problem).toMatchObject({ code: 'compliance_blocked', rule: 'state_rate_cap' });
    expect(problem.citation).toContain('Tex. Fin. Code 342.201');
    expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('application');

    const checks = await call('GET', `/v1/compliance/checks?subject_id=${id}`);
    expect(checks.json().data).toEqual([
      expect.objectContaining({ hook: 'approval', rule: 'state_rate_cap', outcome: 'block' }),
    ]);

    // Under the cap the same rule passes and the approval carries its decision.
    const ok = await call('POST', '/v1/loans', {
      program_id: programId,
      customer_id: borrower,
      principal: 500_000,
      annual_interest_rate: '9.5',
      disbursement_date: '2024-01-15',
    });
    const approved = await call('POST', `/v1/loans/${ok.json().id}/approve`);
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json().compliance).toMatchObject({
      outcome: 'pass',
      checks: [expect.objectContaining({ rule: 'state_rate_cap', outcome: 'pass' })],
    });
  });

  it("judges the borrower as the customer now stands: a change of the customer's state is seen at once", async () => {
    const { call, programId, tenant } = await setup(t);
    const borrower = (await customer(call)).json().id as string;
    await rule(call, 'state_rate_cap', {
      caps: [{ state: 'TX', max_rate_percent: '10', rate_basis: 'note_rate' }],
      unlisted_state: 'pass',
    });
    const apply = async () =>
      (
        await call('POST', '/v1/loans', {
          program_id: programId,
          customer_id: borrower,
          principal: 500_000,
          annual_interest_rate: '18',
          disbursement_date: '2024-01-15',
        })
      ).json().id as string;
    expect((await call('POST', `/v1/loans/${await apply()}/approve`)).statusCode).toBe(422);
    // The gate keeps the borrower facts it read; the update drops them.
    const moved = await t.call('PATCH', `/v1/customers/${borrower}`, {
      key: tenant.key,
      body: { address: { lines: ['1 Main St'], city: 'Tulsa', state: 'OK', country: 'US' } },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const approved = await call('POST', `/v1/loans/${await apply()}/approve`);
    expect(approved.statusCode, approved.body).toBe(201);
  });

  it('a warn proceeds and is listed among the exceptions; a program can switch a rule off', async () => {
    const { call, programId } = await setup(t);
    // No cap row for the borrower's state: the rule's default for unlisted states is warn.
    const config = await rule(call, 'state_rate_cap', { caps: [] });
    const borrower = (await customer(call)).json().id as string;
    const id = await activeLoan(call, programId, { customer_id: borrower });
    const exceptions = (await call('GET', '/v1/compliance/checks?exceptions=true')).json().data;
    expect(exceptions.map((c: { hook: string }) => c.hook).sort()).toEqual(['approval', 'disbursement']);
    expect(exceptions[0]).toMatchObject({ subject_id: id, outcome: 'warn', provider_config_id: config });

    const off = await call(
      'PUT',
      `/v1/programs/${programId}/provider-set-assignments/compliance_rule/state_rate_cap`,
      { provider_config_id: null },
    );
    expect(off.statusCode, off.body).toBe(200);
    const rules = (await call('GET', `/v1/compliance/rules?program_id=${programId}`)).json().data;
    expect(rules.find((r: { key: string }) => r.key === 'state_rate_cap').applied).toEqual([]);
    const other = await activeLoan(call, programId, { customer_id: borrower });
    expect((await call('GET', `/v1/compliance/checks?subject_id=${other}`)).json().data).toEqual([]);
  });

  it('ability_to_repay judges the income stated at approval', async () => {
    const { call, programId } = await setup(t);
    await rule(call, 'ability_to_repay', {});
    const borrower = (await customer(call)).json().id as string;
    const loan = async () =>
      (
        await call('POST', '/v1/loans', {
          program_id: programId,
          customer_id: borrower,
          principal: 1_200_000,
          disbursement_date: '2024-01-15',
        })
      ).json().id as string;
    const a = await loan();
    const none = await call('POST', `/v1/loans/${a}/approve`);
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ code: 'compliance_blocked', rule: 'ability_to_repay' });
    // $1,066.19 a month against $2,000 of income and $300 of debts: DTI 68% > 43%.
    const low = await call('POST', `/v1/loans/${a}/approve`, {
      underwriting: { stated_monthly_income: 200_000, stated_monthly_debt_payments: 30_000 },
    });
    expect(low.statusCode).toBe(422);
    expect(low.json().reasons.join(' ')).toMatch(/debt-to-income/);
    const fine = await call('POST', `/v1/loans/${a}/approve`, {
      underwriting: { stated_monthly_income: 800_000, stated_monthly_debt_payments: 30_000 },
    });
    expect(fine.statusCode, fine.body).toBe(201);
    expect(fine.json().compliance.checks).toEqual([
      expect.objectContaining({ rule: 'ability_to_repay', outcome: 'pass' }),
    ]);
    const bad = await call('POST', `/v1/loans/${await loan()}/approve`, {
      underwriting: { stated_monthly_income: -1 },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('a tenant cannot read another tenant’s checks', async () => {
    const a = await setup(t);
    const b = await setup(t);
    await rule(a.call, 'state_rate_cap', { caps: [] });
    await activeLoan(a.call, a.programId, { customer_id: (await customer(a.call)).json().id });
    expect((await a.call('GET', '/v1/compliance/checks')).json().data.length).toBeGreaterThan(0);
    expect((await b.call('GET', '/v1/compliance/checks')).json().data).toEqual([]);
  });
});

describe('SCRA at payment collection', () => {
  it('re-computes the loan at 6% from the start of active duty before the payment is recorded', async () => {
    const { call, programId } = await setup(t);
    const borrower = await customer(call, { active_duty_start_date: '2024-03-01' });
    await rule(call, 'scra', {});
    const id = await activeLoan(call, programId, {
      customer_id: borrower.json().id,
      annual_interest_rate: '18',
    });
    expect((await call('POST', '/v1/close-of-business', { date: '2024-03-20' })).statusCode).toBeLessThan(
      300,
    );
    const paid = await call('POST', `/v1/loans/${id}/payments`, { amount: 50_000 });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().compliance).toMatchObject({
      outcome: 'warn',
      checks: [
        expect.objectContaining({
          rule: 'scra',
          remedy: expect.objectContaining({ kind: 'rate_reduction', effective_date: '2024-03-01' }),
        }),
      ],
    });
    const events = (await call('GET', `/v1/loans/${id}`)).json().transactions as {
      type: string;
      effective_date: string;
    }[];
    const types = events.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['rate_change', 'payment']);
    expect(events.at(-2)!.effective_date).toBe('2024-03-01');
    // The next payment finds the cap already applied: no second rate change.
    const again = await call('POST', `/v1/loans/${id}/payments`, { amount: 10_000 });
    expect(again.statusCode).toBe(201);
    const after = (await call('GET', `/v1/loans/${id}`)).json().transactions as { type: string }[];
    expect(after.filter((e) => e.type === 'rate_change')).toHaveLength(1);
  });
});

describe('OFAC screening at onboarding', () => {
  it('blocks a listed name, warns a near match, and a file that does not parse leaves the list active', async () => {
    const { call } = await setup(t);
    await rule(call, 'ofac_screening', {});
    // No list loaded: onboarding is blocked by default (screening could not run).
    const none = await customer(call, { legal_name: 'Plain Person' });
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ code: 'compliance_blocked', rule: 'ofac_screening' });

    const upload = (files: Record<string, string>) => {
      const m = multipart(files);
      return call('POST', '/v1/compliance/ofac-lists', m.body, m.headers);
    };
    const sdn = readFileSync(`${SAMPLE}/sdn.csv`, 'utf8');
    const loaded = await upload({ sdn, alt: readFileSync(`${SAMPLE}/alt.csv`, 'utf8') });
    expect(loaded.statusCode, loaded.body).toBe(201);
    const listId = loaded.json().id;

    const bad = await upload({ sdn: `${sdn}9999,"BROKEN\n` });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const lists = (await call('GET', '/v1/compliance/ofac-lists')).json().data;
    expect(
      lists.filter((l: { status: string }) => l.status === 'active').map((l: { id: string }) => l.id),
    ).toEqual([listId]);

    expect((await customer(call, { legal_name: 'Plain Person' })).statusCode).toBe(201);
    const listed = await customer(call, {
      legal_name: 'Elias Viktor Quartermaine',
      date_of_birth: '1971-03-14',
    });
    expect(listed.statusCode).toBe(422);
    expect(listed.json()).toMatchObject({ code: 'compliance_blocked', rule: 'ofac_screening' });
    expect(listed.json().citation).toMatch(/31 CFR/);
    // Nothing written: the blocked customer is not listed.
    const names = (await call('GET', '/v1/customers'))
      .json()
      .data.map((c: { legal_name: string }) => c.legal_name);
    expect(names).toEqual(['Plain Person']);
  });
});
