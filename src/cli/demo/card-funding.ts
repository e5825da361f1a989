import {
  newStripeSecret,
  StripeIssuingSimulator,
} from '../../../sandbox/simulators/stripe-issuing/simulator.js';
import { type DemoClient, expectStatus, money, say, section } from './client.js';

const WEBHOOK_SECRET = newStripeSecret();
const CARD = 'ic_1DemoRevolving01';

type Json = Record<string, unknown>;

/**
 * A card funded by a revolving loan: the expense line behind the card is owned by a lending line of credit, so
 * when a clearing posts, the spend becomes a draw on the borrower's line (and a refund a credit on it), and shows
 * up in the loan's transactions and next statement. A tenant of its own, whose business date is today, because
 * card postings are dated today.
 */
export async function cardFundingTour(api: DemoClient, adminToken: string): Promise<void> {
  section('Card spend funded by a revolving loan');
  const created = await expectStatus(
    api.call<{ api_key: string }>('POST', '/v1/tenants', {
      key: adminToken,
      body: { name: 'Demo Card Lender' },
    }),
    201,
    'card lender tenant',
  );
  const key = created.api_key;
  const post = <T = Json>(path: string, body?: unknown) =>
    expectStatus(api.call<T>('POST', path, { key, body }), 201, path);

  const program = await post<{ id: string }>('/v1/programs', {
    name: 'Card-funded lines',
    program_type: 'line_of_credit',
    terms: {
      currency: 'USD',
      credit_limit: { min: 50_000, max: 2_000_000 },
      annual_interest_rate: { min: '5', max: '30', default: '21.99' },
      day_count: 'actual/365',
      cycle_day: { min: 1, max: 28, default: 28 },
      minimum_payment: { floor: 2_500, percent: '3' },
      payment_due_days: 25,
    },
  });
  const today = (await api.call<{ business_date: string }>('GET', '/v1/business-date', { key })).body
    .business_date;
  const loan = await post<{ id: string }>('/v1/loans', {
    program_id: program.id,
    credit_limit: 200_000,
    open_date: today,
  });
  await post(`/v1/loans/${loan.id}/approve`);
  await post(`/v1/loans/${loan.id}/disburse`);
  say(`Gil's $2,000.00 line of credit ${loan.id} is open (business date ${today})`);

  const category = await post<{ id: string }>('/v1/card-authorizations/expense-categories', {
    code: 'all_spend',
    name: 'All spend',
  });
  for (const [service_type, provider_key, config] of [
    [
      'expense_category_resolver',
      'mcc_rules',
      { rules: [{ category_code: 'all_spend', mcc: ['0000-9999'] }] },
    ],
    ['line_of_credit_resolver', 'card_owner', {}],
  ] as const) {
    await post('/v1/provider-configs', {
      label: provider_key,
      service_type,
      provider_key,
      config,
      is_default: true,
    });
  }
  await post('/v1/card-authorizations/cards', { card_id: CARD, owner_type: 'loan', owner_ref: loan.id });
  await post('/v1/card-authorizations/lines-of-credit', {
    owner_type: 'loan',
    owner_ref: loan.id,
    expense_category_id: category.id,
    currency: 'USD',
    credits_limit: 200_000,
  });
  const relay = await post<{ id: string }>('/v1/provider-configs', {
    label: 'Stripe Issuing',
    service_type: 'card_issuing',
    provider_key: 'stripe_issuing',
    config: { webhook_secret: WEBHOOK_SECRET },
  });
  say(`card ${CARD} spends against an expense line owned by the loan`);

  const stripe = new StripeIssuingSimulator({
    targetUrl: `${api.baseUrl}/v1/card-authorizations/relay/${relay.id}`,
    secret: WEBHOOK_SECRET,
  });
  const dinner = await stripe.authorize({ amount: 6_420, mcc: '5812', cardId: CARD, country: 'US' });
  say(`$64.20 at a restaurant: ${dinner.verdict.approved ? 'approved' : 'declined'}`);
  await stripe.capture(dinner.authorization, 7_200);
  await stripe.refund(dinner.authorization, 1_000);
  say('captured at $72.00 with the tip, then $10.00 refunded');

  // The clearing and the refund reach lending through the funding outbox (a background job, nudged at once).
  let card: Json[] = [];
  let line: Json = {};
  for (let i = 0; i < 100 && card.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const l = (await api.call<{ transactions: Json[]; line: Json }>('GET', `/v1/loans/${loan.id}`, { key }))
      .body;
    card = l.transactions.filter((t) => t.source);
    line = l.line;
  }
  for (const t of card)
    say(`  loan ${t.type} ${money(t.amount as number)} (${t.source}, reference ${t.reference})`);
  say(
    `Gil's line now owes ${money(line.balance as number)}, available ${money(line.available_credit as number)}`,
  );
}
