import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvMultipart as multipart } from '../helpers/multipart.js';
import { loanCash, type PaymentsFixture, paymentsFixture, stripeApp } from './support/fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: response JSON, read by the tests' expectations.
type Json = any;

const SAMPLE = 'src/modules/compliance/domain/ofac/sample';

/**
 * Compliance's payment-collection hook at a loan collection (OFAC screening here): a block stops the collection
 * before the processor is called (a problem naming the rule and its citation; no payment, nothing charged, the
 * loan unchanged); a warn proceeds and is recorded on the payment and among the compliance exceptions.
 */
describe('compliance at payment collection', () => {
  const app = stripeApp();

  const rule = (f: PaymentsFixture, config: Record<string, unknown>) =>
    f.ok('POST', '/v1/provider-configs', {
      label: 'ofac',
      service_type: 'compliance_rule',
      provider_key: 'ofac_screening',
      config,
    });

  it('blocks a listed borrower before the processor is called; charges nothing', async () => {
    const f = await paymentsFixture(app.h, app.t);
    // Onboarded before the tenant turned screening on.
    const listed = await f.ok('POST', '/v1/customers', {
      legal_name: 'Elias Viktor Quartermaine',
      date_of_birth: '1971-03-14',
    });
    const loanId = await f.loan({ customer_id: listed.id });
    const pm = await f.method('card', listed.id);
    await rule(f, {});
    const m = multipart({ sdn: readFileSync(`${SAMPLE}/sdn.csv`, 'utf8') });
    expect((await f.call('POST', '/v1/compliance/ofac-lists', m.body, m.headers)).statusCode).toBe(201);

    const before = { cash: await loanCash(f, loanId), sim: app.h.totals() };
    const r = await f.call(
      'POST',
      `/v1/loans/${loanId}/collections`,
      { amount: 10_000, payment_method_id: pm },
      { 'idempotency-key': `ofac-${loanId}` },
    );
    expect(r.statusCode, r.body).toBe(422);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ code: 'compliance_blocked', rule: 'ofac_screening' });
    expect(r.json().citation).toMatch(/31 CFR/);
    expect((await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data).toEqual([]);
    expect(app.h.totals()).toEqual(before.sim);
    expect(await loanCash(f, loanId)).toBe(before.cash);
    const checks = (await f.ok('GET', '/v1/compliance/checks?exceptions=true')).data;
    expect(checks.some((c: Json) => c.hook === 'payment_collection' && c.outcome === 'block')).toBe(true);

    // A borrower not on the list is collected from as usual.
    const clear = await f.loan();
    const ok = await f.ok('POST', `/v1/loans/${clear}/collections`, {
      amount: 10_000,
      payment_method_id: await f.method('card'),
    });
    expect(ok).toMatchObject({ state: 'captured', loan: { applied: 10_000 } });
  });

  it('a warn proceeds, and the payment records the decision', async () => {
    const f = await paymentsFixture(app.h, app.t);
    const loanId = await f.loan();
    const pm = await f.method('card');
    // No list loaded, configured to warn rather than block.
    await rule(f, { no_list: 'warn' });
    const p = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
      amount: 10_000,
      payment_method_id: pm,
    });
    expect(p).toMatchObject({ state: 'captured', loan: { applied: 10_000 } });
    expect(app.h.capturesOf(p.processor_id)).toBe(1);
    const got = await f.ok('GET', `/v1/payments/${p.id}`);
    const first = got.transitions[0];
    expect(first.detail.compliance).toMatchObject({
      outcome: 'warn',
      checks: [expect.objectContaining({ rule: 'ofac_screening', outcome: 'warn' })],
    });
    const checks = (await f.ok('GET', '/v1/compliance/checks?exceptions=true')).data;
    const warned = checks.filter((c: Json) => c.hook === 'payment_collection' && c.outcome === 'warn');
    // Asked once, before the processor: the loan took the collected money without asking again.
    expect(warned).toHaveLength(1);
  });
});
