import { createHash } from 'node:crypto';
import { luhnValid } from '../shared/card-numbers.js';
import { metadataOf, obj, type StripeRoute, str } from './api.js';
import type { StripeEngine } from './engine.js';
import { cardError, invalidParam, invalidRequest, missingParam, notFound } from './errors.js';
import type { FormObject } from './form.js';
import { customerObject, paymentMethodObject } from './objects.js';
import type { BillingDetails, PaymentMethodRec } from './store.js';
import { nowSeconds, stripeId } from './store.js';
import { findBankAccount, findCard, TEST_ROUTING_NUMBER } from './test-methods.js';

/** Customers and PaymentMethods: create, retrieve, attach, detach, list a customer's methods. */
const fingerprint = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 16);

function billingOf(form: FormObject): BillingDetails {
  const b = obj(form, 'billing_details') ?? {};
  const a = obj(b, 'address');
  return {
    name: str(b, 'name') ?? null,
    email: str(b, 'email') ?? null,
    phone: str(b, 'phone') ?? null,
    address: a
      ? Object.fromEntries(
          ['city', 'country', 'line1', 'line2', 'postal_code', 'state'].map((k) => [k, str(a, k) ?? null]),
        )
      : { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
  };
}

const nextYear = () => new Date().getUTCFullYear() + 1;

function cardFromRef(ref: string, expMonth: number, expYear: number): PaymentMethodRec['card'] {
  const card = findCard(ref);
  if (!card) return undefined;
  return {
    brand: card.brand,
    funding: card.funding,
    last4: card.number.slice(-4),
    expMonth,
    expYear,
    fingerprint: fingerprint(card.number),
    decline: card.decline,
    attachable: card.attachable ?? !card.decline,
    dispute: card.dispute,
  };
}

function newPaymentMethod(
  engine: StripeEngine,
  pm: Omit<PaymentMethodRec, 'id' | 'created'>,
): PaymentMethodRec {
  const rec = { id: stripeId('pm'), created: nowSeconds(), ...pm };
  engine.store.paymentMethods.set(rec.id, rec);
  return rec;
}

const emptyBilling = (): BillingDetails => ({ name: null, email: null, phone: null, address: null });

/**
 * A PaymentMethod id as a request names it: a stored one, or one of Stripe's test ids (`pm_card_visa`,
 * `pm_usBankAccount_success`, ...), which stands for a fresh PaymentMethod each time it is used.
 */
export function resolvePaymentMethod(
  engine: StripeEngine,
  ref: string,
  param = 'payment_method',
): PaymentMethodRec {
  const stored = engine.store.paymentMethods.get(ref);
  if (stored) return stored;
  if (ref.startsWith('pm_card_')) {
    const card = cardFromRef(ref, 12, nextYear());
    if (card)
      return newPaymentMethod(engine, {
        type: 'card',
        customer: null,
        billing: emptyBilling(),
        metadata: {},
        card,
      });
  }
  const bank = ref.startsWith('pm_usBankAccount_') ? findBankAccount(ref) : undefined;
  if (bank)
    return newPaymentMethod(engine, {
      type: 'us_bank_account',
      customer: null,
      billing: { ...emptyBilling(), name: 'Jenny Rosen' },
      metadata: {},
      bank: {
        last4: bank.accountNumber.slice(-4),
        routingNumber: bank.routingNumber,
        accountHolderType: 'individual',
        accountType: 'checking',
        fingerprint: fingerprint(bank.accountNumber),
        outcome: bank.outcome,
      },
    });
  throw notFound('PaymentMethod', ref, param);
}

function createCardMethod(engine: StripeEngine, form: FormObject): PaymentMethodRec {
  const c = obj(form, 'card');
  if (!c) throw missingParam('card');
  const token = str(c, 'token');
  const number = str(c, 'number')?.replaceAll(' ', '');
  const expMonth = Number(str(c, 'exp_month') ?? 12);
  const expYear = Number(str(c, 'exp_year') ?? nextYear());
  if (!token && !number) throw missingParam('card[number]');
  if (number && !luhnValid(number))
    throw cardError({ code: 'incorrect_number', message: 'Your card number is incorrect.', param: 'number' });
  if (!(expMonth >= 1 && expMonth <= 12))
    throw cardError({
      code: 'invalid_expiry_month',
      message: "Your card's expiration month is invalid.",
      param: 'exp_month',
    });
  const now = new Date();
  if (
    expYear < now.getUTCFullYear() ||
    (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1)
  )
    throw cardError({
      code: 'invalid_expiry_year',
      message: "Your card's expiration year is invalid.",
      param: 'exp_year',
    });
  const card = cardFromRef((token ?? number)!, expMonth, expYear);
  if (!card) {
    if (token)
      throw invalidRequest(`No such token: '${token}'`, { param: 'card[token]', code: 'resource_missing' });
    throw cardError({
      code: 'card_declined',
      decline_code: 'test_mode_live_card',
      message: 'Your card was declined. Your request was in test mode, but used a non test (live) card.',
    });
  }
  return newPaymentMethod(engine, {
    type: 'card',
    customer: null,
    billing: billingOf(form),
    metadata: metadataOf(form),
    card,
  });
}

function createBankMethod(engine: StripeEngine, form: FormObject): PaymentMethodRec {
  const b = obj(form, 'us_bank_account');
  if (!b) throw missingParam('us_bank_account');
  const billing = billingOf(form);
  if (!billing.name) throw missingParam('billing_details[name]');
  const accountNumber = str(b, 'account_number');
  const routing = str(b, 'routing_number');
  if (!accountNumber) throw missingParam('us_bank_account[account_number]');
  if (!routing) throw missingParam('us_bank_account[routing_number]');
  if (routing !== TEST_ROUTING_NUMBER && !/^\d{9}$/.test(routing))
    throw invalidParam('us_bank_account[routing_number]', 'Routing number must have 9 digits');
  const holder = str(b, 'account_holder_type') ?? 'individual';
  if (holder !== 'individual' && holder !== 'company')
    throw invalidParam(
      'us_bank_account[account_holder_type]',
      'Invalid account_holder_type: must be one of individual or company',
    );
  const known = findBankAccount(accountNumber);
  return newPaymentMethod(engine, {
    type: 'us_bank_account',
    customer: null,
    billing,
    metadata: metadataOf(form),
    bank: {
      last4: accountNumber.slice(-4),
      routingNumber: routing,
      accountHolderType: holder,
      accountType: str(b, 'account_type') === 'savings' ? 'savings' : 'checking',
      fingerprint: fingerprint(`${routing}:${accountNumber}`),
      outcome: known?.outcome ?? { kind: 'succeed' },
    },
  });
}

export function customerRoutes(engine: StripeEngine): StripeRoute[] {
  const { store } = engine;
  const customer = (id: string, param = 'id') => {
    const c = store.customers.get(id);
    if (!c) throw notFound('customer', id, param);
    return c;
  };
  const method = (id: string) => {
    const pm = store.paymentMethods.get(id);
    if (!pm) throw notFound('PaymentMethod', id, 'payment_method');
    return pm;
  };
  return [
    {
      method: 'POST',
      path: '/v1/customers',
      handler: ({ form }) => {
        const c = {
          id: stripeId('cus', 14),
          created: nowSeconds(),
          email: str(form, 'email') ?? null,
          name: str(form, 'name') ?? null,
          phone: str(form, 'phone') ?? null,
          description: str(form, 'description') ?? null,
          metadata: metadataOf(form),
        };
        store.customers.set(c.id, c);
        return { body: customerObject(c) };
      },
    },
    {
      method: 'GET',
      path: '/v1/customers/:id',
      handler: ({ params }) => ({ body: customerObject(customer(params.id!)) }),
    },
    {
      method: 'GET',
      path: '/v1/customers/:id/payment_methods',
      handler: ({ params, form }) => {
        customer(params.id!);
        const type = str(form, 'type');
        const data = [...store.paymentMethods.values()]
          .filter((pm) => pm.customer === params.id && (!type || pm.type === type))
          .map(paymentMethodObject);
        return {
          body: { object: 'list', data, has_more: false, url: `/v1/customers/${params.id}/payment_methods` },
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_methods',
      handler: ({ form }) => {
        const type = str(form, 'type');
        if (!type) throw missingParam('type');
        if (type === 'card') return { body: paymentMethodObject(createCardMethod(engine, form)) };
        if (type === 'us_bank_account') return { body: paymentMethodObject(createBankMethod(engine, form)) };
        throw invalidParam(
          'type',
          `Invalid type: must be one of card or us_bank_account (the simulator's payment method types)`,
        );
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_methods/:id',
      handler: ({ params }) => ({ body: paymentMethodObject(method(params.id!)) }),
    },
    {
      method: 'POST',
      path: '/v1/payment_methods/:id/attach',
      handler: ({ params, form }) => {
        const customerId = str(form, 'customer');
        if (!customerId) throw missingParam('customer');
        customer(customerId, 'customer');
        const pm = resolvePaymentMethod(engine, params.id!);
        if (pm.customer && pm.customer !== customerId)
          throw invalidRequest('The payment method you provided has already been attached to a customer.', {
            code: 'payment_method_unexpected_state',
          });
        // Attaching verifies the card with the issuer: declining cards fail here, except the one Stripe
        // documents as attachable (0341), whose charges fail later.
        const decline = pm.card?.decline;
        if (decline && !pm.card?.attachable)
          throw cardError({
            code: decline.code,
            decline_code: decline.declineCode,
            message: decline.message,
          });
        pm.customer = customerId;
        return { body: paymentMethodObject(pm) };
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_methods/:id/detach',
      handler: ({ params }) => {
        const pm = method(params.id!);
        if (!pm.customer)
          throw invalidRequest(
            'The payment method you provided is not attached to a customer so detachment is impossible.',
            {
              code: 'payment_method_unexpected_state',
            },
          );
        pm.customer = null;
        return { body: paymentMethodObject(pm) };
      },
    },
  ];
}
