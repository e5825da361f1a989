import {
  newStripeSecret,
  StripeIssuingSimulator,
} from '../../../sandbox/simulators/stripe-issuing/simulator.js';
import { type DemoClient, expectStatus, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

const WEBHOOK_SECRET = newStripeSecret();
const CARD = 'ic_1DemoCard0001';

interface Line {
  id: string;
  expense_category_id: string;
  credits_limit: number;
  expensed_credits: number;
  available_credits: number;
}

/**
 * A card program: categories and how payments are classified, a cardholder's lines of credit, then Stripe
 * Issuing (the local simulator) sending real-time authorizations and lifecycle webhooks to Plinth's relay.
 */
export async function cardsTour(api: DemoClient, tenant: DemoTenant): Promise<void> {
  const key = tenant.key;
  const post = <T>(path: string, body: unknown, what: string, status = 201) =>
    expectStatus(api.call<T>('POST', path, { key, body }), status, what);

  section('Card authorizations: categories, resolvers, a cardholder');
  const categories: Record<string, string> = {};
  for (const [code, name] of [
    ['groceries', 'Groceries'],
    ['health', 'Health'],
  ] as const) {
    categories[code] = (
      await post<{ id: string }>('/v1/card-authorizations/expense-categories', { code, name }, code)
    ).id;
  }
  await post(
    '/v1/provider-configs',
    {
      label: 'MCC rules',
      service_type: 'expense_category_resolver',
      provider_key: 'mcc_rules',
      is_default: true,
      config: {
        rules: [
          { category_code: 'groceries', mcc: ['5411', '5422', '5499'] },
          { category_code: 'health', mcc: ['5912', '8011-8099'] },
        ],
      },
    },
    'mcc_rules resolver',
  );
  await post(
    '/v1/provider-configs',
    {
      label: 'Card owner',
      service_type: 'line_of_credit_resolver',
      provider_key: 'card_owner',
      is_default: true,
      config: {},
    },
    'card_owner resolver',
  );
  say('payments are classified by MCC (groceries: 5411/5422/5499, health: 5912, 8011-8099)');

  const holder = await post<{ id: string }>('/v1/customers', { legal_name: 'Dana Cardholder' }, 'cardholder');
  await post(
    '/v1/card-authorizations/cards',
    { card_id: CARD, owner_type: 'customer', owner_ref: holder.id },
    'card',
  );
  const lines: Record<string, string> = {};
  for (const [code, limit] of [
    ['groceries', 50_000],
    ['health', 20_000],
  ] as const) {
    const line = await post<Line>(
      '/v1/card-authorizations/lines-of-credit',
      {
        owner_type: 'customer',
        owner_ref: holder.id,
        expense_category_id: categories[code],
        currency: 'USD',
        credits_limit: limit,
      },
      `${code} line`,
    );
    lines[code] = line.id;
  }
  say(`card ${CARD} for Dana: groceries line $500.00, health line $200.00`);

  const relay = await post<{ id: string }>(
    '/v1/provider-configs',
    {
      label: 'Stripe Issuing',
      service_type: 'card_issuing',
      provider_key: 'stripe_issuing',
      config: { webhook_secret: WEBHOOK_SECRET },
    },
    'Stripe Issuing relay',
  );
  const relayUrl = `${api.baseUrl}/v1/card-authorizations/relay/${relay.id}`;
  say(`Stripe's authorization webhook points at ${relayUrl}`);

  section('Card authorizations: Stripe Issuing asks, Plinth decides');
  const stripe = new StripeIssuingSimulator({ targetUrl: relayUrl, secret: WEBHOOK_SECRET });
  const show = (
    what: string,
    r: { verdict: { approved: boolean | null }; body: unknown; latencyMs: number },
  ) =>
    say(
      `${what}: ${r.verdict.approved ? 'approved' : 'declined'} in ${r.latencyMs.toFixed(1)} ms ${JSON.stringify(r.body)}`,
    );

  const groceries = await stripe.authorize({ amount: 12_000, mcc: '5411', cardId: CARD, country: 'US' });
  show('$120.00 at a grocery store', groceries);
  const pharmacy = await stripe.authorize({ amount: 15_000, mcc: '5912', cardId: CARD, country: 'US' });
  show('$150.00 at a pharmacy (charged to the health line)', pharmacy);
  show(
    '$80.00 more at the pharmacy (health line has $50 left)',
    await stripe.authorize({ amount: 8_000, mcc: '5912', cardId: CARD }),
  );
  show(
    '$20.00 at a casino (no category)',
    await stripe.authorize({ amount: 2_000, mcc: '7995', cardId: CARD }),
  );
  show(
    '$10.00 on a card nobody registered',
    await stripe.authorize({ amount: 1_000, mcc: '5411', cardId: 'ic_1Unknown' }),
  );

  await stripe.reverse(pharmacy.authorization, 5_000);
  await stripe.capture(groceries.authorization, 12_500);
  await stripe.refund(groceries.authorization, 2_000);
  say('then: $50.00 of the pharmacy hold released, the groceries captured at $125.00 (tip), $20.00 refunded');
  for (const [code, id] of Object.entries(lines)) {
    const l = await expectStatus(
      api.call<Line>('GET', `/v1/card-authorizations/lines-of-credit/${id}`, { key }),
      200,
      'line',
    );
    say(
      `${code} line: expensed ${l.expensed_credits} of ${l.credits_limit}, available ${l.available_credits}`,
    );
  }
  const requests = await expectStatus(
    api.call<{ data: { status: string; amount_authorized: number; amount_cleared: number }[] }>(
      'GET',
      `/v1/card-authorizations/authorization-requests?card_id=${CARD}`,
      { key },
    ),
    200,
    'authorization requests',
  );
  say(
    `authorization requests: ${requests.data.map((r) => `${r.status} (authorized ${r.amount_authorized}, cleared ${r.amount_cleared})`).join('; ')}`,
  );
}
