import { addDays, addMonths, type CalendarDate } from '../../kernel/dates.js';
import { closeThrough, type DemoClient, expectStatus, money, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

type Json = Record<string, unknown>;

/**
 * Leases and lines of credit: the Federal Reserve lease example quoted to the cent, a lease program and a line
 * program, two leases and a line originated and serviced over three months of close of business (rent earned day
 * by day, a late lease payment and its late fee, an early termination paid off, line statements with their
 * minimum payments, a missed minimum and its late fee), and the balances straight from the journal.
 */
export async function lendingProductsTour(api: DemoClient, tenant: DemoTenant): Promise<void> {
  const key = tenant.key;
  const call = <T = Json>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, path, { key, body });
  const post = <T = Json>(path: string, body?: unknown) =>
    expectStatus(
      api.call<T>('POST', path, {
        key,
        body,
        headers: { 'idempotency-key': `demo-${path}-${Math.random()}` },
      }),
      201,
      path,
    );

  section('Leases: the Federal Reserve example, quoted to the cent');
  // A tenant without loans yet starts on the example's date; otherwise the tour starts on today's business date.
  await call('PUT', '/v1/business-date', { business_date: '2024-01-15' });
  const start = (await call<{ business_date: CalendarDate }>('GET', '/v1/business-date')).body.business_date;
  const leases = await expectStatus(
    call<{ id: string }>('POST', '/v1/programs', {
      name: 'Auto leases',
      program_type: 'lease',
      terms: {
        currency: 'USD',
        annual_interest_rate: { min: '0', max: '20', default: '8.497' },
        term_count: { min: 12, max: 60, default: 48 },
        tax: { rate: '6' },
        late_fee: { type: 'flat', amount: 2_500, grace_days: 10 },
        disposition_fee: 39_500,
        purchase_option_fee: 30_000,
        early_termination: { fee: 20_000 },
      },
    }),
    201,
    'lease program',
  );
  const fed = { capitalized_cost: 1_880_000, residual_value: 1_235_000, disbursement_date: '2024-01-15' };
  const quote = await expectStatus(
    call<{ base_payment: number; schedule: Json[]; disclosure: Json }>(
      'POST',
      `/v1/programs/${leases.id}/quotes`,
      fed,
    ),
    200,
    'lease quote',
  );
  say(`$18,800 adjusted capitalized cost, $12,350 residual, 48 months at 8.497%, payments in advance:`);
  say(
    `  base payment ${money(quote.base_payment)} (the money-factor shortcut would say ${money(quote.disclosure.money_factor_shortcut_payment as number)})`,
  );
  for (const row of quote.schedule.slice(0, 3))
    say(
      `  #${row.number} ${row.due_date}  rent charge ${money(row.rent_charge as number)}  depreciation ${money(row.depreciation as number)}  tax ${money(row.tax as number)}  balance ${money(row.balance as number)}`,
    );
  say(`  … the 48th leaves the residual, ${money((quote.schedule.at(-1) as Json).balance as number)}`);

  section('Lines of credit: program and open-end disclosure');
  const lines = await expectStatus(
    call<{ id: string }>('POST', '/v1/programs', {
      name: 'Business lines',
      program_type: 'line_of_credit',
      terms: {
        currency: 'USD',
        credit_limit: { min: 100_000, max: 5_000_000 },
        annual_interest_rate: { min: '5', max: '30', default: '18.99' },
        day_count: 'actual/365',
        cycle_day: { min: 1, max: 28, default: 15 },
        minimum_payment: { floor: 2_500, percent: '2' },
        payment_due_days: 25,
        late_fee: { type: 'flat', amount: 3_000, grace_days: 0 },
      },
    }),
    201,
    'line program',
  );
  const lineQuote = await expectStatus(
    call<{ disclosure: Json }>('POST', `/v1/programs/${lines.id}/quotes`, {
      credit_limit: 500_000,
      open_date: start,
    }),
    200,
    'line quote',
  );
  const d = lineQuote.disclosure;
  say(`APR ${d.apr}% (daily periodic rate ${d.daily_periodic_rate}), ${d.balance_computation_method}`);

  section('Origination and three months of servicing');
  const originate = async (program: string, request: Json) => {
    const loan = await post<{ id: string }>('/v1/loans', { program_id: program, ...request });
    await post(`/v1/loans/${loan.id}/approve`);
    await post(`/v1/loans/${loan.id}/disburse`);
    return loan.id;
  };
  const lease = { ...fed, disbursement_date: start };
  const dana = await originate(leases.id, lease);
  const evan = await originate(leases.id, lease);
  const fay = await originate(lines.id, { credit_limit: 500_000, open_date: start });
  const payment = (quote.schedule[0] as Json).total as number;
  for (const id of [dana, evan]) await post(`/v1/loans/${id}/payments`, { amount: payment });
  await post(`/v1/loans/${fay}/draws`, { amount: 120_000 });
  say(
    `${start}: Dana and Evan lease a car and make their first payment in advance (${money(payment)} with tax);`,
  );
  say(`            Fay opens a $5,000.00 line and draws $1,200.00`);

  let fayPaidOff = false;
  const serviceFay = async (today: CalendarDate) => {
    const line = (
      await call<{ line: { last_statement: Json | null; balance: number }; statements: Json[] }>(
        'GET',
        `/v1/loans/${fay}`,
      )
    ).body;
    const last = line.line.last_statement;
    if (!last || (last.minimum_remaining as number) === 0 || fayPaidOff) return;
    if (line.statements.length === 1 && today <= (last.due_date as string)) {
      await post(`/v1/loans/${fay}/payments`, { amount: last.minimum_remaining });
      say(
        `${today}: Fay pays her first minimum payment, ${money(last.minimum_remaining as number)}, before ${last.due_date}`,
      );
    } else if (line.statements.length > 1 && today > (last.due_date as string)) {
      await post(`/v1/loans/${fay}/payments`, { amount: line.line.balance });
      fayPaidOff = true;
      say(
        `${today}: Fay missed her second minimum (due ${last.due_date}); she now pays the balance, ${money(line.line.balance)}`,
      );
    }
  };

  for (let month = 1; month <= 3; month++) {
    const due = addMonths(start, month);
    await closeThrough(api, key, addDays(due, -1));
    await post(`/v1/loans/${dana}/payments`, { amount: payment });
    if (month === 2) await post(`/v1/loans/${fay}/draws`, { amount: 30_000 });
    await serviceFay(due);
    await closeThrough(api, key, addDays(due, month === 1 ? 11 : 5));
    const today = addDays(due, month === 1 ? 12 : 6);
    await serviceFay(today);
    if (month === 1) {
      const late = (await call<Json>('GET', `/v1/loans/${evan}`)).body;
      const fee = (late.balances as Record<string, number>).penalty_income ?? 0;
      say(
        `${today}: Evan is ${late.days_past_due} days late: a late fee of ${money(-fee)} was charged; he pays both`,
      );
      await post(`/v1/loans/${evan}/payments`, { amount: payment - fee });
    } else if (month === 2) {
      const payoff = await expectStatus(
        call<Json>('POST', `/v1/loans/${evan}/payoff-quotes`, { realized_value: 1_650_000 }),
        200,
        'payoff quote',
      );
      say(
        `${today}: Evan returns the car early, sold for $16,500.00: lease balance ${money(payoff.adjusted_lease_balance as number)}, early-termination charge ${money(payoff.early_termination_charge as number)}, unpaid ${money(payoff.unpaid_payments as number)}: he owes ${money(payoff.total_due as number)}`,
      );
      await post(`/v1/loans/${evan}/terminate`, { type: 'early', realized_value: 1_650_000 });
      await post(`/v1/loans/${evan}/payments`, { amount: payoff.total_due });
      await post(`/v1/loans/${evan}/close`);
    }
  }
  await closeThrough(api, key, addDays(addMonths(start, 3), 25));

  section('Where they stand (balances from the journal)');
  for (const [name, id] of [
    ['Dana', dana],
    ['Evan', evan],
  ] as const) {
    const loan = (await call<Json>('GET', `/v1/loans/${id}`)).body;
    const o = loan.outstanding as Record<string, number>;
    const b = loan.balances as Record<string, number>;
    say(
      `${name}: lease ${loan.status}; lease balance ${money(o.lease_balance ?? 0)}, rent earned ${money(-(b.rent_income ?? 0))}, rent paid ahead ${money(-(o.rent ?? 0))}, late fees ${money(-(b.penalty_income ?? 0))}`,
    );
  }
  const line = (await call<Json>('GET', `/v1/loans/${fay}`)).body;
  say(`Fay: line ${line.status}, ${(line.statements as Json[]).length} statements:`);
  for (const s of [...(line.statements as Json[])].reverse())
    say(
      `  #${s.number} ${s.period_start}..${s.period_end}  opening ${money(s.opening_balance as number)}  draws ${money(s.draws as number)}  payments ${money(s.payments as number)}  interest ${money(s.interest as number)} (ADB ${money(Math.round(Number(s.average_daily_balance)))})  fees ${money(s.fees as number)}  closing ${money(s.closing_balance as number)}  minimum ${money(s.minimum_payment as number)} due ${s.due_date}`,
    );
  say(`curl -s ${api.baseUrl}/v1/loans/${fay} -H 'authorization: Bearer ${key}'`);
}
