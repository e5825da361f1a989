import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/kernel/audit.js';
import type { CalendarDate } from '../../src/kernel/dates.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLease, leaseProgramTerms } from './lease-support.js';
import { lineTenant, openLine } from './line-of-credit-support.js';
import { mismatches } from './product-compare.js';
import { closeThrough } from './products-support.js';

// The port the card-authorization module calls to fund a clearing from a lending line of credit.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const scopeOf = (tenantId: string): Scope =>
  ({ tenantId, actor: { type: 'system', id: 'card-clearing' } }) as Scope;

describe('drawForCardSpend', () => {
  it('draws once per clearing reference; the draw is on the statement', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    const funding = t.ctx.lending.cardFunding;
    const spend = { amount: 12_345, currency: 'USD', reference: 'clr_001' };
    const first = await funding.drawForCardSpend(scopeOf(tenant.id), id, spend);
    expect(first).toEqual({
      ok: true,
      value: { transactionId: expect.any(String), duplicate: false, overLimit: false },
    });
    const retried = await funding.drawForCardSpend(scopeOf(tenant.id), id, spend);
    expect(retried).toEqual({
      ok: true,
      value: { transactionId: first.ok && first.value.transactionId, duplicate: true, overLimit: false },
    });
    // Two racing deliveries of one clearing draw once.
    const raced = await Promise.all(
      [1, 2].map(() => funding.drawForCardSpend(scopeOf(tenant.id), id, { ...spend, reference: 'clr_002' })),
    );
    expect(raced.map((r) => r.ok && r.value.duplicate).sort()).toEqual([false, true]);
    const other = await funding.drawForCardSpend(scopeOf(tenant.id), id, { ...spend, amount: 1 });
    expect(!other.ok && other.error).toMatchObject({ kind: 'conflict', code: 'reference_reused' });

    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    const draws = loan.transactions.filter((e: { type: string }) => e.type === 'draw');
    expect(draws).toHaveLength(2);
    expect(draws[0]).toMatchObject({
      amount: 12_345,
      reference: 'clr_001',
      source: 'card',
      over_limit: false,
    });
    await closeThrough(call, '2024-01-15');
    const statement = (await call('GET', `/v1/loans/${id}`)).json().statements[0];
    expect(statement).toMatchObject({ draws: 2 * 12_345 });
    expect(
      await mismatches(t.ctx.database.db, tenant.id, 'line_of_credit', () => ({
        asOf: '2024-01-15' as CalendarDate,
        closeOfBusiness: true,
      })),
    ).toEqual([]);
  });

  it('posts a clearing over the limit, flagged, while the line refuses its own draws', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId, { credit_limit: 100_000 });
    const over = await t.ctx.lending.cardFunding.drawForCardSpend(scopeOf(tenant.id), id, {
      amount: 150_000,
      currency: 'USD',
      reference: 'clr_big',
    });
    expect(over).toMatchObject({ ok: true, value: { duplicate: false, overLimit: true } });
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.line).toMatchObject({ balance: 150_000, available_credit: 0, over_limit: true });
    const refused = await call('POST', `/v1/loans/${id}/draws`, { amount: 1 });
    expect(refused.json()).toMatchObject({ status: 422, code: 'insufficient_available_credit' });
  });

  it('refuses other loans, frozen and closed lines, another currency and dates past the business date', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    const scope = scopeOf(tenant.id);
    const spend = { amount: 1_000, currency: 'USD', reference: 'clr_x' };
    const draw = (loanId: string, s: Partial<typeof spend> & { effectiveDate?: CalendarDate } = {}) =>
      t.ctx.lending.cardFunding.drawForCardSpend(scope, loanId, { ...spend, ...s });

    expect(await draw(id, { currency: 'EUR' })).toMatchObject({
      ok: false,
      error: { code: 'currency_mismatch' },
    });
    expect(await draw(id, { effectiveDate: '2024-01-11' as CalendarDate })).toMatchObject({
      ok: false,
      error: { code: 'effective_date_after_business_date' },
    });
    expect(await draw(id, { reference: '' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(await draw('01a2014c-0000-7000-8000-000000000000')).toMatchObject({
      ok: false,
      error: { kind: 'not_found' },
    });
    const stranger = await lineTenant(t);
    expect(
      await t.ctx.lending.cardFunding.drawForCardSpend(scopeOf(stranger.tenant.id), id, spend),
    ).toMatchObject({
      ok: false,
      error: { kind: 'not_found' },
    });

    const leases = await call('POST', '/v1/programs', {
      name: 'L',
      program_type: 'lease',
      terms: leaseProgramTerms(),
    });
    const lease = await activeLease(call, leases.json().id, { disbursement_date: '2024-01-10' });
    expect(await draw(lease)).toMatchObject({
      ok: false,
      error: { kind: 'unprocessable', code: 'not_a_line_of_credit' },
    });

    await call('POST', `/v1/loans/${id}/freeze`);
    expect(await draw(id)).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'line_not_active' } });
    await call('POST', `/v1/loans/${id}/close`);
    expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('closed');
    expect(await draw(id)).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'line_not_active' } });
    expect(
      (await call('GET', `/v1/loans/${id}`)).json().transactions.map((e: { type: string }) => e.type),
    ).toEqual(['approve', 'disburse', 'freeze', 'close']);
  });
});
