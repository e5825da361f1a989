import { closeThrough, type DemoClient, expectStatus, money, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

type Json = Record<string, unknown>;

/**
 * Installment loans: a program, a quote with its Truth in Lending disclosure, three loans originated and serviced
 * over four months of close of business (accruals, a late payment and its late fee, a payoff), and where each
 * loan ends up, its balances straight from the journal.
 */
export async function lendingTour(api: DemoClient, tenant: DemoTenant): Promise<void> {
  const key = tenant.key;
  const call = <T = Json>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, path, { key, body });

  section('Installment loans: program, quote, disclosure');
  await expectStatus(call('PUT', '/v1/business-date', { business_date: '2024-01-02' }), 200, 'business date');
  const program = await expectStatus(
    call<{ id: string }>('POST', '/v1/programs', {
      name: 'Personal loans',
      program_type: 'installment_loan',
      terms: {
        currency: 'USD',
        annual_interest_rate: { min: '5', max: '24.99', default: '11.99' },
        term_count: { min: 6, max: 60, default: 12 },
        principal: { min: 100_000, max: 5_000_000 },
        late_fee: { type: 'flat', amount: 2500, grace_days: 10 },
        delinquency: { buckets: [30, 60, 90, 120], charge_off_after_days: 120 },
      },
    }),
    201,
    'create program',
  );
  const request = { principal: 1_000_000, term_count: 12, disbursement_date: '2024-01-15' };
  const quote = await expectStatus(
    call<{ schedule: Json[]; disclosure: Json; totals: Json }>(
      'POST',
      `/v1/programs/${program.id}/quotes`,
      request,
    ),
    200,
    'quote',
  );
  say(`quote for ${money(1_000_000)} over 12 months at 11.99%:`);
  for (const row of quote.schedule.slice(0, 3))
    say(
      `  #${row.number} ${row.due_date}  principal ${money(row.principal as number)}  interest ${money(row.interest as number)}  total ${money(row.total as number)}`,
    );
  say('  …');
  const d = quote.disclosure;
  say(
    `  APR ${d.apr}%  finance charge ${money(d.finance_charge as number)}  amount financed ${money(d.amount_financed as number)}  total of payments ${money(d.total_of_payments as number)}`,
  );
  const outside = await call<{ errors: { path: string }[] }>('POST', `/v1/programs/${program.id}/quotes`, {
    ...request,
    annual_interest_rate: '30',
  });
  say(`a rate outside the program's bounds gets ${outside.status} naming ${outside.body.errors[0]?.path}`);

  section('Origination and four months of servicing');
  const borrowers = ['Alice (pays on time, then pays off)', 'Bob (pays late)', 'Carol (pays on time)'];
  const ids: string[] = [];
  for (const name of borrowers) {
    // Each borrower is a customer with a postal address, so credit reporting (Metro 2) can furnish the loan.
    const customer = await expectStatus(
      call<{ id: string }>('POST', '/v1/customers', {
        legal_name: `${name.split(' ')[0]} Demo`,
        address: {
          lines: ['1 Main Street'],
          city: 'Springfield',
          state: 'IL',
          postal_code: '62701',
          country: 'US',
        },
      }),
      201,
      'customer',
    );
    const loan = await expectStatus(
      call<{ id: string }>('POST', '/v1/loans', {
        program_id: program.id,
        customer_id: customer.id,
        ...request,
      }),
      201,
      'create loan',
    );
    await expectStatus(call('POST', `/v1/loans/${loan.id}/approve`), 201, 'approve');
    ids.push(loan.id);
    say(`${name}: loan ${loan.id} approved`);
  }
  const [alice, bob, carol] = ids as [string, string, string];
  await closeThrough(api, key, '2024-01-14');
  for (const id of ids) await expectStatus(call('POST', `/v1/loans/${id}/disburse`), 201, 'disburse');
  say('business date 2024-01-15: all three disbursed');
  const installment = quote.schedule[0]!.total as number;
  const pay = (id: string, amount: number, extra: Json = {}) =>
    expectStatus(
      api.call<Json>('POST', `/v1/loans/${id}/payments`, {
        key,
        body: { amount, ...extra },
        headers: { 'idempotency-key': `demo-${id}-${Math.random()}` },
      }),
      201,
      'payment',
    );
  for (const due of ['2024-02-15', '2024-03-15', '2024-04-15']) {
    await closeThrough(api, key, `${due.slice(0, 8)}14`);
    await pay(carol, installment);
    if (due !== '2024-04-15') await pay(alice, installment);
    else {
      const payoff = await expectStatus(
        call<{ total: number; interest: number }>('POST', `/v1/loans/${alice}/payoff-quotes`),
        200,
        'payoff quote',
      );
      await pay(alice, payoff.total, { payoff: true });
      say(
        `${due}: Alice pays her loan off: ${money(payoff.total)} (interest through today ${money(payoff.interest)})`,
      );
    }
    await closeThrough(api, key, `${due.slice(0, 8)}${due === '2024-02-15' ? '27' : '25'}`);
    const late = await call<{ days_past_due: number; status: string; schedule: { due: Json }[] }>(
      'GET',
      `/v1/loans/${bob}`,
    );
    const onTime = due === '2024-04-15' ? 'Carol pays' : 'Carol and Alice pay';
    say(
      `${due}: ${onTime} on the due date; later Bob is ${late.body.status}, ${late.body.days_past_due} days past due`,
    );
    const paid = await pay(bob, installment + 2500);
    say(
      `  Bob pays ${money(installment + 2500)}: allocated ${(paid.allocation as Json[]).map((l) => `${l.component} ${money(l.amount as number)}`).join(', ')}`,
    );
  }
  await closeThrough(api, key, '2024-04-30');

  section('Where the loans stand (balances from the journal)');
  for (const [name, id] of [
    ['Alice', alice],
    ['Bob', bob],
    ['Carol', carol],
  ] as const) {
    const loan = (await call<Json>('GET', `/v1/loans/${id}`)).body;
    const o = loan.outstanding as Record<string, number>;
    const b = loan.balances as Record<string, number>;
    const journal = loan.journal as { kind: string }[];
    say(
      `${name}: ${loan.status}, ${loan.days_past_due} days past due; owes principal ${money(o.principal ?? 0)}, interest ${money(o.interest ?? 0)}, penalties ${money(o.penalties ?? 0)}; interest earned ${money(0 - (b.interest_income ?? 0))}, late fees ${money(0 - (b.penalty_income ?? 0))}; ${journal.length} journal entries (${new Set(journal.map((e) => e.kind)).size} kinds)`,
    );
  }
  const runs = await call<{ business_date: string; data: Json[] }>('GET', '/v1/close-of-business?limit=1000');
  say(
    `close of business ran ${runs.body.data.length} days; the business date is now ${runs.body.business_date}`,
  );
  // Servicing status: no money moves, but credit reporting follows it (Metro 2 93 while a balance is owed).
  const placed = await expectStatus(
    call<{ collection: { agency: string; since: string } }>(
      'POST',
      `/v1/loans/${bob}/collection-placements`,
      {
        agency: 'Acme Recovery',
      },
    ),
    201,
    'collection placement',
  );
  say(
    `Bob's loan, late three times, is placed with ${placed.collection.agency} from ${placed.collection.since} (no money moves; credit reporting shows Metro 2 status 93)`,
  );
  say(`curl -s ${api.baseUrl}/v1/loans/${bob} -H 'authorization: Bearer ${key}'`);
}
