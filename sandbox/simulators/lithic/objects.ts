import { alpha3, type CardAuthOptions, randomUUID } from '../shared/card-client.js';

/**
 * Builders for Lithic payloads, shaped after Lithic's API reference (`CardAuthorization` for ASA requests,
 * `Transaction` with `events` for `card_transaction.updated`). Amounts are minor units, countries alpha-3.
 */
export interface LithicSimTransaction {
  token: string;
  cardToken: string;
  currency: string;
  merchant: Record<string, unknown>;
  partialAllowed: boolean;
  created: string;
  /** Held so far. */
  held: number;
  events: Record<string, unknown>[];
}

export function lithicMerchant(o: CardAuthOptions): Record<string, unknown> {
  return {
    acceptor_id: o.merchantId ?? '174030075991',
    acquiring_institution_id: o.acquirerId ?? '191231',
    city: o.city ?? 'NEW YORK',
    country: alpha3(o.country ?? 'USA'),
    descriptor: o.merchantName ?? 'COFFEE SHOP',
    mcc: o.mcc ?? '5812',
    state: o.state ?? 'NY',
    phone_number: null,
    postal_code: o.postalCode === undefined ? '10001' : o.postalCode,
    street_address: null,
  };
}

export function newTransaction(o: CardAuthOptions): LithicSimTransaction {
  return {
    token: randomUUID(),
    cardToken: o.cardId ?? randomUUID(),
    currency: (o.currency ?? 'USD').toUpperCase(),
    merchant: lithicMerchant(o),
    partialAllowed: o.partialAllowed ?? false,
    created: new Date().toISOString(),
    held: 0,
    events: [],
  };
}

const amountsOf = (amount: number, currency: string) => ({
  cardholder: { amount, conversion_rate: '1.000000', currency },
  hold: { amount, currency },
  merchant: { amount, currency },
  settlement: null,
});

/** The ASA request body for `amount` on transaction `t` (status AUTHORIZATION unless told otherwise). */
export function asaRequest(
  t: LithicSimTransaction,
  amount: number,
  status = 'AUTHORIZATION',
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    token: t.token,
    event_type: 'card_authorization.approval_request',
    event_token: randomUUID(),
    status,
    acquirer_fee: 0,
    amount,
    authorization_amount: amount,
    amounts: amountsOf(amount, t.currency),
    avs: { address: '123 MAIN ST', zipcode: '10001', address_on_file_match: 'MATCH' },
    card: {
      token: t.cardToken,
      last_four: '3860',
      memo: 'Team card',
      spend_limit: 0,
      spend_limit_duration: 'TRANSACTION',
      state: 'OPEN',
      type: 'VIRTUAL',
    },
    cardholder_currency: t.currency,
    cash_amount: 0,
    created: t.created,
    merchant: t.merchant,
    merchant_amount: amount,
    merchant_currency: t.currency,
    name_validation: null,
    network: 'VISA',
    network_risk_score: 5,
    pos: {
      entry_mode: { card: 'NOT_PRESENT', cardholder: 'NOT_PRESENT', pan: 'ECOMMERCE', pin_entered: false },
      terminal: {
        attended: false,
        card_retention_capable: false,
        on_premise: false,
        operator: 'UNKNOWN',
        partial_approval_capable: t.partialAllowed,
        pin_capability: 'NOT_CAPABLE',
        type: 'ECOMMERCE',
      },
    },
    service_location: null,
    settled_amount: 0,
    transaction_initiator: 'CARDHOLDER',
  };
  // Earlier events, as the older ASA format carries them: an increment shows the authorization it extends.
  if (t.events.length > 0) body.events = t.events;
  return body;
}

/** A transaction event as Lithic appends it to `Transaction.events`. */
export function transactionEvent(
  type: string,
  amount: number,
  currency: string,
  polarity: 'DEBIT' | 'CREDIT',
  result = 'APPROVED',
): Record<string, unknown> {
  return {
    token: randomUUID(),
    type,
    amount,
    amounts: {
      cardholder: { amount, conversion_rate: '1.000000', currency },
      merchant: { amount, currency },
      settlement: null,
    },
    created: new Date().toISOString(),
    effective_polarity: polarity,
    network_info: null,
    result,
    rule_results: [],
  };
}

/** The `card_transaction.updated` event body for transaction `t`. */
export function transactionUpdated(t: LithicSimTransaction, status: string): Record<string, unknown> {
  const settled = t.events
    .filter((e) => e.type === 'CLEARING')
    .reduce((sum, e) => sum + (e.amount as number), 0);
  return {
    event_type: 'card_transaction.updated',
    token: t.token,
    account_token: randomUUID(),
    acquirer_fee: 0,
    amount: t.held,
    amounts: amountsOf(t.held, t.currency),
    authorization_amount: t.held,
    authorization_code: '123456',
    card_token: t.cardToken,
    created: t.created,
    events: t.events,
    merchant: t.merchant,
    merchant_currency: t.currency,
    network: 'VISA',
    result: 'APPROVED',
    settled_amount: settled,
    status,
    tags: {},
    updated: new Date().toISOString(),
  };
}
