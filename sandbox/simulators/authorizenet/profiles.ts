import { readBankAccount, readCard, readParty } from './cards.js';
import { reasonText } from './codes.js';
import { paymentFingerprint } from './duplicates.js';
import type { AnetEngine } from './engine.js';
import { AnetError, child, failed, type Json, many, ok, text } from './envelope.js';
import { type CustomerProfile, masked, type Payment, type PaymentProfile } from './store.js';

/**
 * Customer profiles (CIM), the minimum a lender needs to charge a borrower's stored card or bank account again
 * (autopay) without holding the numbers: `createCustomerProfileRequest` (optionally with payment profiles),
 * `createCustomerPaymentProfileRequest` and `getCustomerProfileRequest`. Payment data may be an Accept.js
 * nonce. Duplicates are refused with E00039 naming the existing record.
 */
function readPayment(engine: AnetEngine, payment: Json | undefined): Payment {
  const opaque = payment && child(payment, 'opaqueData');
  const card = opaque
    ? engine.nonces.redeem(opaque, engine.now().getTime())
    : payment && child(payment, 'creditCard');
  const bank = payment && child(payment, 'bankAccount');
  const read = card
    ? readCard(card, engine.now())
    : bank
      ? readBankAccount(bank)
      : ([33, 'Payment information'] as [number, string]);
  if (Array.isArray(read)) throw new AnetError('E00013', reasonText(read[0], read[1]));
  return read;
}

function newPaymentProfile(engine: AnetEngine, profile: CustomerProfile, pp: Json): PaymentProfile {
  const payment = readPayment(engine, child(pp, 'payment'));
  const existing = profile.paymentProfiles.find(
    (p) => paymentFingerprint(p.payment) === paymentFingerprint(payment),
  );
  if (existing)
    throw Object.assign(new AnetError('E00039', 'A duplicate customer payment profile already exists.'), {
      existing: existing.id,
    });
  const isDefault = text(pp.defaultPaymentProfile) === 'true' || profile.paymentProfiles.length === 0;
  if (isDefault) for (const p of profile.paymentProfiles) p.isDefault = false;
  const created: PaymentProfile = {
    id: engine.store.nextId(),
    customerType: text(pp.customerType) ?? null,
    billTo: readParty(pp.billTo),
    payment,
    isDefault,
  };
  profile.paymentProfiles.push(created);
  return created;
}

export function createCustomerProfile(engine: AnetEngine, body: Json, refId?: string): Json {
  const p = child(body, 'profile');
  if (!p)
    throw new AnetError(
      'E00003',
      "The element 'createCustomerProfileRequest' has incomplete content. List of possible elements expected: 'profile'.",
    );
  const merchantCustomerId = text(p.merchantCustomerId) ?? null;
  const email = text(p.email) ?? null;
  const description = text(p.description) ?? null;
  if (!merchantCustomerId && !email && !description)
    throw new AnetError('E00041', 'One or more fields in the profile must contain a value.');
  const dup = [...engine.store.profiles.values()].find(
    (x) => x.merchantCustomerId === merchantCustomerId && x.email === email && x.description === description,
  );
  if (dup) throw new AnetError('E00039', `A duplicate record with ID ${dup.id} already exists.`);
  const profile: CustomerProfile = {
    id: engine.store.nextId(),
    merchantCustomerId,
    email,
    description,
    paymentProfiles: [],
  };
  const ids = many(p.paymentProfiles).map((pp) => newPaymentProfile(engine, profile, pp).id);
  engine.store.profiles.set(profile.id, profile);
  return ok(
    {
      customerProfileId: profile.id,
      customerPaymentProfileIdList: ids,
      customerShippingAddressIdList: [],
      validationDirectResponseList: [],
    },
    refId,
  );
}

export function createCustomerPaymentProfile(engine: AnetEngine, body: Json, refId?: string): Json {
  const profile = engine.store.profiles.get(text(body.customerProfileId) ?? '');
  if (!profile) throw new AnetError('E00040', 'The record cannot be found.');
  const pp = child(body, 'paymentProfile');
  if (!pp)
    throw new AnetError(
      'E00003',
      "The element 'createCustomerPaymentProfileRequest' has incomplete content. List of possible elements expected: 'paymentProfile'.",
    );
  try {
    const created = newPaymentProfile(engine, profile, pp);
    return ok({ customerProfileId: profile.id, customerPaymentProfileId: created.id }, refId);
  } catch (e) {
    const existing = (e as { existing?: string }).existing;
    if (e instanceof AnetError && existing)
      return failed(
        e.code,
        e.message,
        { customerProfileId: profile.id, customerPaymentProfileId: existing },
        refId,
      );
    throw e;
  }
}

export function getCustomerProfile(engine: AnetEngine, body: Json, refId?: string): Json {
  const profile = engine.store.profiles.get(text(body.customerProfileId) ?? '');
  if (!profile) throw new AnetError('E00040', 'The record cannot be found.');
  return ok(
    {
      profile: {
        ...(profile.merchantCustomerId ? { merchantCustomerId: profile.merchantCustomerId } : {}),
        ...(profile.description ? { description: profile.description } : {}),
        ...(profile.email ? { email: profile.email } : {}),
        customerProfileId: profile.id,
        paymentProfiles: profile.paymentProfiles.map((p) => ({
          ...(p.customerType ? { customerType: p.customerType } : {}),
          ...(p.billTo ? { billTo: p.billTo } : {}),
          customerPaymentProfileId: p.id,
          ...(p.isDefault ? { defaultPaymentProfile: true } : {}),
          payment:
            p.payment.kind === 'card'
              ? {
                  creditCard: {
                    cardNumber: masked(p.payment.number),
                    expirationDate: 'XXXX',
                    cardType: p.payment.cardType,
                  },
                }
              : {
                  bankAccount: {
                    accountType: p.payment.accountType,
                    routingNumber: masked(p.payment.routingNumber),
                    accountNumber: masked(p.payment.accountNumber),
                    nameOnAccount: p.payment.nameOnAccount,
                    echeckType: p.payment.echeckType,
                  },
                },
        })),
      },
    },
    refId,
  );
}
