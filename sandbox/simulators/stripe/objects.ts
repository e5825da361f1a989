import type {
  ChargeRec,
  CustomerRec,
  DisputeRec,
  PaymentErrorRec,
  PaymentIntentRec,
  PaymentMethodRec,
  RefundRec,
  StripeStore,
} from './store.js';

/** Stripe's wire objects, rendered from the simulator's records as the API reference shows them. */
type Obj = Record<string, unknown>;

export function customerObject(c: CustomerRec): Obj {
  return {
    id: c.id,
    object: 'customer',
    address: null,
    balance: 0,
    created: c.created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: c.description,
    email: c.email,
    invoice_prefix: c.id.slice(4, 12).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: c.metadata,
    name: c.name,
    phone: c.phone,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function paymentMethodObject(pm: PaymentMethodRec): Obj {
  const base: Obj = {
    id: pm.id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: pm.billing,
    created: pm.created,
    customer: pm.customer,
    livemode: false,
    metadata: pm.metadata,
    type: pm.type,
  };
  if (pm.card)
    base.card = {
      brand: pm.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'unchecked' },
      country: 'US',
      display_brand: pm.card.brand,
      exp_month: pm.card.expMonth,
      exp_year: pm.card.expYear,
      fingerprint: pm.card.fingerprint,
      funding: pm.card.funding,
      generated_from: null,
      last4: pm.card.last4,
      networks: { available: [pm.card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    };
  if (pm.bank)
    base.us_bank_account = {
      account_holder_type: pm.bank.accountHolderType,
      account_type: pm.bank.accountType,
      bank_name: 'STRIPE TEST BANK',
      financial_connections_account: null,
      fingerprint: pm.bank.fingerprint,
      last4: pm.bank.last4,
      networks: { preferred: 'ach', supported: ['ach'] },
      routing_number: pm.bank.routingNumber,
      status_details: {},
    };
  return base;
}

export function paymentErrorObject(e: PaymentErrorRec, store: StripeStore): Obj {
  const pm = store.paymentMethods.get(e.paymentMethod);
  return {
    type: e.type,
    code: e.code,
    ...(e.declineCode ? { decline_code: e.declineCode } : {}),
    ...(e.charge ? { charge: e.charge } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${e.code}`,
    message: e.message,
    ...(e.param ? { param: e.param } : {}),
    payment_method: pm ? paymentMethodObject(pm) : null,
  };
}

function paymentMethodDetails(pm: PaymentMethodRec | undefined, mandate: string | null): Obj | null {
  if (!pm) return null;
  if (pm.card)
    return {
      type: 'card',
      card: {
        brand: pm.card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        exp_month: pm.card.expMonth,
        exp_year: pm.card.expYear,
        fingerprint: pm.card.fingerprint,
        funding: pm.card.funding,
        last4: pm.card.last4,
        network: pm.card.brand,
        network_transaction_id: '104557651805572',
      },
    };
  return {
    type: 'us_bank_account',
    us_bank_account: {
      account_holder_type: pm.bank?.accountHolderType,
      account_type: pm.bank?.accountType,
      bank_name: 'STRIPE TEST BANK',
      fingerprint: pm.bank?.fingerprint,
      last4: pm.bank?.last4,
      mandate,
      payment_reference: null,
      routing_number: pm.bank?.routingNumber,
    },
  };
}

export function chargeObject(c: ChargeRec, store: StripeStore): Obj {
  const pm = store.paymentMethods.get(c.paymentMethod);
  const pi = store.paymentIntents.get(c.paymentIntent);
  return {
    id: c.id,
    object: 'charge',
    amount: c.amount,
    amount_captured: c.amountCaptured,
    amount_refunded: c.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: c.balanceTransaction,
    billing_details: pm?.billing ?? null,
    calculated_statement_descriptor: 'PLINTH',
    captured: c.captured,
    created: c.created,
    currency: c.currency,
    customer: c.customer,
    description: c.description,
    disputed: c.dispute !== null,
    failure_balance_transaction: null,
    failure_code: c.failureCode,
    failure_message: c.failureMessage,
    fraud_details: {},
    livemode: false,
    metadata: c.metadata,
    on_behalf_of: null,
    outcome: c.outcome,
    paid: c.status === 'succeeded',
    payment_intent: c.paymentIntent,
    payment_method: c.paymentMethod,
    payment_method_details: paymentMethodDetails(pm, pi?.mandate ?? null),
    receipt_email: null,
    receipt_url: null,
    refunded: c.amountRefunded > 0 && c.amountRefunded === c.amountCaptured,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: c.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function paymentIntentObject(pi: PaymentIntentRec, store: StripeStore, expand: string[] = []): Obj {
  const expanded = <T>(
    field: string,
    id: string | null,
    get: (id: string) => T | undefined,
    render: (v: T) => Obj,
  ) => {
    if (!id || !expand.includes(field)) return id;
    const v = get(id);
    return v ? render(v) : id;
  };
  return {
    id: pi.id,
    object: 'payment_intent',
    allowed_payment_method_types: pi.allowedPaymentMethodTypes,
    amount: pi.amount,
    amount_capturable: pi.amountCapturable,
    amount_details: { tip: {} },
    amount_received: pi.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: pi.canceledAt,
    cancellation_reason: pi.cancellationReason,
    capture_method: pi.captureMethod,
    client_secret: `${pi.id}_secret_${pi.id.slice(3, 28)}`,
    confirmation_method: 'automatic',
    created: pi.created,
    currency: pi.currency,
    customer: expanded('customer', pi.customer, (id) => store.customers.get(id), customerObject),
    customer_account: null,
    description: pi.description,
    excluded_payment_method_types: null,
    last_payment_error: pi.lastPaymentError ? paymentErrorObject(pi.lastPaymentError, store) : null,
    latest_charge: expanded(
      'latest_charge',
      pi.latestCharge,
      (id) => store.charges.get(id),
      (c) => chargeObject(c, store),
    ),
    livemode: false,
    managed_payments: null,
    metadata: pi.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: expanded(
      'payment_method',
      pi.paymentMethod,
      (id) => store.paymentMethods.get(id),
      paymentMethodObject,
    ),
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: pi.paymentMethodTypes,
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: pi.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function refundObject(r: RefundRec): Obj {
  return {
    id: r.id,
    object: 'refund',
    amount: r.amount,
    balance_transaction: r.status === 'failed' ? null : `txn_${r.id.slice(3)}`,
    charge: r.charge,
    created: r.created,
    currency: r.currency,
    destination_details: null,
    metadata: r.metadata,
    payment_intent: r.paymentIntent,
    reason: r.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: r.status,
    transfer_reversal: null,
  };
}

export function disputeObject(d: DisputeRec): Obj {
  return {
    id: d.id,
    object: 'dispute',
    amount: d.amount,
    balance_transactions: [],
    charge: d.charge,
    created: d.created,
    currency: d.currency,
    evidence_details: {
      due_by: d.created + 7 * 86_400,
      has_evidence: false,
      past_due: false,
      submission_count: 0,
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: d.paymentIntent,
    reason: d.reason,
    status: d.status,
  };
}
