import { addDays, type CalendarDate } from '../../kernel/dates.js';
import { closeThrough, type DemoClient, expectStatus, money, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

type Json = Record<string, unknown>;
type Row = { number: number; due_date: string; principal: number; interest: number; total: number };

/**
 * A loan product as a lender brings it from Apache Fineract (docs/fineract-mapping.md): Fineract's progressive
 * schedule (interest by days in month over days in year, the level payment from each period's rate and its
 * adjustment pass), a loan disbursed in two tranches that re-amortizes when the second is paid out, and a loan whose
 * rate changes on a date it was made with.
 */
export async function fineractProductsTour(api: DemoClient, tenant: DemoTenant): Promise<void> {
  const key = tenant.key;
  const call = <T = Json>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, path, { key, body });
  const rows = (schedule: Row[]) =>
    schedule.map((r) => `  #${r.number} ${r.due_date}  ${money(r.total)}  (interest ${money(r.interest)})`);
  const progressive = {
    currency: 'USD',
    annual_interest_rate: { min: '0', max: '36', default: '9.4822' },
    term_count: { min: 3, max: 36, default: 6 },
    principal: { min: 10_000, max: 10_000_000 },
    interest_calculation: 'period_days',
    days_in_month: '30',
    days_in_year: '360',
    level_payment: 'period_rates',
    level_payment_adjustment: true,
  };
  const program = (name: string, terms: Json) =>
    expectStatus(
      call<{ id: string }>('POST', '/v1/programs', { name, program_type: 'installment_loan', terms }),
      201,
      name,
    );

  section('A Fineract product: progressive schedule, tranches, a scheduled rate change');
  const start = (await call<{ business_date: CalendarDate }>('GET', '/v1/business-date')).body.business_date;
  const tranched = await program('Construction loans (Fineract progressive, multi-disbursement)', {
    ...progressive,
    multi_disbursement: { max_tranches: 3, max_outstanding: 10_000_000 },
  });
  const second = addDays(start, 45);
  const request = {
    principal: 2_000_000,
    term_count: 6,
    disbursement_date: start,
    tranches: [
      { date: start, amount: 1_000_000 },
      { date: second, amount: 1_000_000 },
    ],
  };
  const quote = await expectStatus(
    call<{ schedule: Row[]; disclosure: Json }>('POST', `/v1/programs/${tranched.id}/quotes`, request),
    200,
    'tranche quote',
  );
  say(
    `Dana borrows ${money(2_000_000)} in two tranches (${start} and ${second}), 30/360 progressive, 9.4822%:`,
  );
  for (const line of rows(quote.schedule)) say(line);
  say(`  APR ${quote.disclosure.apr}% with both tranches as advances (${quote.disclosure.transaction_kind})`);
  const loan = await expectStatus(
    call<{ id: string }>('POST', '/v1/loans', { program_id: tranched.id, ...request }),
    201,
    'tranche loan',
  );
  await expectStatus(call('POST', `/v1/loans/${loan.id}/approve`), 201, 'approve');
  await expectStatus(call('POST', `/v1/loans/${loan.id}/disburse`), 201, 'disburse');
  const first = (await call<{ schedule: Row[] }>('GET', `/v1/loans/${loan.id}`)).body.schedule;
  say(`first tranche paid out: installments of ${money(first[0]!.total)} on ${money(1_000_000)}`);
  await closeThrough(api, key, addDays(second, -1));
  await expectStatus(
    call('POST', `/v1/loans/${loan.id}/payments`, {
      amount: first[0]!.total,
      effective_date: first[0]!.due_date,
    }),
    201,
    'first installment',
  );
  await expectStatus(call('POST', `/v1/loans/${loan.id}/tranches`, { amount: 1_000_000 }), 201, 'tranche');
  const after = (await call<{ schedule: Row[] }>('GET', `/v1/loans/${loan.id}`)).body.schedule;
  say(`second tranche paid out on ${second}: the installments from its period re-amortized`);
  for (const line of rows(after)) say(line);
  const over = await call<{ code: string }>('POST', `/v1/loans/${loan.id}/tranches`, { amount: 1 });
  say(`a third tranche beyond the approved amount: ${over.status} ${over.body.code}`);

  const repriced = await program('Promotional loans (Fineract progressive, rate term variation)', {
    ...progressive,
    rate_changes: true,
  });
  const change = addDays(start, 75);
  const promo = await expectStatus(
    call<{ schedule: Row[] }>('POST', `/v1/programs/${repriced.id}/quotes`, {
      principal: 1_000_000,
      annual_interest_rate: '4',
      term_count: 6,
      disbursement_date: start,
      rate_changes: [{ effective_date: change, annual_interest_rate: '12' }],
    }),
    200,
    'rate change quote',
  );
  say(
    `Eli: ${money(1_000_000)} at 4% until ${change}, then 12%: re-amortized from the period the change falls in`,
  );
  for (const line of rows(promo.schedule)) say(line);
}
