import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ProviderError } from '../../../../kernel/errors.js';
import { err, failure, ok } from '../../../../kernel/result.js';
import type {
  AttachRequest,
  AttachResult,
  AuthResult,
  ChargeRequest,
  PaymentProcessor,
  PaymentRef,
  ProcessorView,
  RefundRequest,
} from '../../domain/processor.js';
import { type AnetClient, dollars, type Json, type TransactionResponse } from './client.js';
import { declineOf, isRequestError, reasonOf, requestError, vendorMethodOf, viewOf } from './mappers.js';

export interface AnetSettings {
  client: AnetClient;
  signatureKey: string | null;
  duplicateWindowSeconds: number;
  currencies: readonly string[];
}

const OPAQUE = 'COMMON.ACCEPT.INAPP.PAYMENT';
/** A declined or refused transaction is an answer (E00027 with its transactionResponse), not a failure. */
const TRANSACTION = { safe: true, errorsAsAnswers: ['E00027'] } as const;

/**
 * The payment processor over Authorize.Net. Payment methods are customer profiles (CIM): a card's Accept.js nonce
 * is stored in one at once (a nonce is spent by its first use, so it is never charged or retried directly), and a
 * bank account arrives as a profile the lender's front end created. Every charge and refund carries its own
 * invoice number (the reference) and the duplicate window, so a re-sent one is answered with the original's
 * transaction id instead of charging again; captures and voids are answered approved when repeated (311, 310).
 */
export function authorizeNetProcessor(s: AnetSettings): PaymentProcessor {
  const { client } = s;
  const settings = {
    setting: [{ settingName: 'duplicateWindow', settingValue: String(s.duplicateWindowSeconds) }],
  };

  const transact = async (operation: string, transactionRequest: Json, refId?: string) => {
    const a = await client.send(
      'createTransactionRequest',
      { ...(refId ? { refId } : {}), transactionRequest },
      TRANSACTION,
    );
    const t = a.transactionResponse;
    if (!t)
      throw new ProviderError('invalid_response', `authorizenet ${operation}: no transactionResponse`, {
        provider: 'authorizenet',
      });
    return t;
  };

  const details = async (transId: string): Promise<Json | null> => {
    try {
      const a = await client.send('getTransactionDetailsRequest', { transId }, { safe: true });
      return (a.transaction as Json | undefined) ?? null;
    } catch (e) {
      if (e instanceof ProviderError && e.details.vendorCode === 'E00040') return null;
      throw e;
    }
  };

  const profileOf = async (customerRef: string, methodRef: string) => {
    const a = await client.send(
      'getCustomerProfileRequest',
      { customerProfileId: customerRef },
      { safe: true },
    );
    const profiles = ((a.profile as Json | undefined)?.paymentProfiles ?? []) as Json[];
    const found = profiles.find((p) => String(p.customerPaymentProfileId) === methodRef);
    if (!found)
      throw new ProviderError('rejected', 'authorizenet: no such payment profile for that customer profile', {
        provider: 'authorizenet',
        vendorCode: 'E00040',
      });
    return found;
  };

  /** An approved or held transaction of `request` as its outcome. */
  const approved = (t: TransactionResponse, r: ChargeRequest): AuthResult => {
    const held = t.responseCode === '4';
    const status =
      r.method.kind === 'bank_account' && !held
        ? 'processing'
        : r.capture && !held
          ? 'captured'
          : 'authorized';
    return {
      outcome: 'approved',
      status,
      processorId: t.transId,
      amountAuthorized: r.amount,
      amountCaptured: status === 'authorized' ? 0 : r.amount,
    };
  };

  return {
    currencies: s.currencies,
    // Margin for clocks: a re-send near the window's end must still fall inside it.
    replayWindowSeconds: s.duplicateWindowSeconds - 60,

    async attachPaymentMethod(r: AttachRequest): Promise<AttachResult> {
      if (!('token' in r.source)) {
        const found = await profileOf(r.source.customerRef, r.source.methodRef);
        return {
          outcome: 'attached',
          method: vendorMethodOf(r.source.customerRef, found, r.source.routingNumber ?? null),
        };
      }
      const paymentProfile = {
        customerType: 'individual',
        payment: { opaqueData: { dataDescriptor: OPAQUE, dataValue: r.source.token } },
      };
      // A nonce is spent by the first request that carries it: these are never sent twice.
      let customerRef = r.customerRef;
      let methodRef: string;
      if (!customerRef) {
        const a = await client.send(
          'createCustomerProfileRequest',
          {
            profile: {
              merchantCustomerId: r.reference,
              description: `Plinth customer ${r.customer.id}`,
              ...(r.customer.email ? { email: r.customer.email } : {}),
              paymentProfiles: [paymentProfile],
            },
            validationMode: 'none',
          },
          { safe: false },
        );
        customerRef = String(a.customerProfileId);
        methodRef = String((a.customerPaymentProfileIdList as unknown[])[0]);
      } else {
        const a = await client.send(
          'createCustomerPaymentProfileRequest',
          { customerProfileId: customerRef, paymentProfile, validationMode: 'none' },
          // The same card stored twice is E00039 naming the profile that holds it: that one is the answer.
          { safe: false, errorsAsAnswers: ['E00039'] },
        );
        methodRef = String(a.customerPaymentProfileId);
      }
      return {
        outcome: 'attached',
        method: vendorMethodOf(customerRef, await profileOf(customerRef, methodRef), null),
      };
    },

    async authorize(r: ChargeRequest): Promise<AuthResult> {
      const t = await transact(
        'authorize',
        {
          transactionType:
            r.capture || r.method.kind === 'bank_account' ? 'authCaptureTransaction' : 'authOnlyTransaction',
          amount: dollars(r.amount),
          currencyCode: r.currency,
          profile: {
            customerProfileId: r.method.customerRef,
            paymentProfile: { paymentProfileId: r.method.methodRef },
          },
          order: {
            invoiceNumber: r.reference,
            ...(r.description ? { description: r.description.slice(0, 255) } : {}),
          },
          transactionSettings: settings,
        },
        r.reference,
      );
      if (t.responseCode === '1' || t.responseCode === '4') return approved(t, r);
      if (reasonOf(t) === '11' && t.transId && t.transId !== '0') {
        // A duplicate of an earlier attempt of this payment: its outcome is the original's.
        const original = await details(t.transId);
        if (!original)
          throw new ProviderError(
            'invalid_response',
            'authorizenet: a duplicate whose original cannot be found',
            { provider: 'authorizenet' },
          );
        const view = viewOf(original, r.method.kind);
        if (view.status === 'declined')
          return { outcome: 'declined', processorId: t.transId, decline: view.decline! };
        return {
          outcome: 'approved',
          status:
            view.status === 'authorized'
              ? 'authorized'
              : r.method.kind === 'bank_account'
                ? 'processing'
                : 'captured',
          processorId: t.transId,
          amountAuthorized: view.amountAuthorized,
          amountCaptured: view.status === 'authorized' ? 0 : view.amountCaptured || r.amount,
        };
      }
      if (isRequestError(t)) throw requestError(t, 'authorize');
      return {
        outcome: 'declined',
        processorId: t.transId && t.transId !== '0' ? t.transId : null,
        decline: declineOf(t),
      };
    },

    async capture(ref: PaymentRef, amount: number) {
      const t = await transact('capture', {
        transactionType: 'priorAuthCaptureTransaction',
        amount: dollars(amount),
        refTransId: ref.processorId,
      });
      if (t.responseCode !== '1') throw requestError(t, 'capture');
      return { amountCaptured: amount };
    },

    async void(ref: PaymentRef) {
      const t = await transact('void', { transactionType: 'voidTransaction', refTransId: ref.processorId });
      if (t.responseCode !== '1') throw requestError(t, 'void');
      return { voided: true as const };
    },

    async refund(ref: PaymentRef, r: RefundRequest) {
      const m = ref.method;
      const payment =
        m.kind === 'card'
          ? { creditCard: { cardNumber: m.last4 ?? '', expirationDate: 'XXXX' } }
          : { bankAccount: { routingNumber: m.routingNumber ?? '', accountNumber: m.last4 ?? '' } };
      const t = await transact('refund', {
        transactionType: 'refundTransaction',
        amount: dollars(r.amount),
        currencyCode: r.currency,
        payment,
        refTransId: ref.processorId,
        order: { invoiceNumber: r.reference },
        transactionSettings: settings,
      });
      if (t.responseCode === '1' || (reasonOf(t) === '11' && t.transId && t.transId !== '0'))
        return { refundId: t.transId, status: 'pending' as const };
      // A payment not settled yet cannot be refunded; all of it can be voided instead.
      if (reasonOf(t) === '54' && r.whole) {
        await this.void(ref);
        return { refundId: `void-${ref.processorId}`, status: 'succeeded' as const };
      }
      throw requestError(t, 'refund');
    },

    async retrieve(ref: PaymentRef): Promise<ProcessorView | null> {
      let transId = ref.processorId;
      if (!transId) {
        // The first answer never arrived: look the attempt up by its invoice number.
        const a = await client.send('getUnsettledTransactionListRequest', {}, { safe: true });
        const found = ((a.transactions ?? []) as Json[]).find((t) => t.invoiceNumber === ref.reference);
        if (!found) return null;
        transId = String(found.transId);
      }
      const t = await details(transId);
      return t ? viewOf(t, ref.kind) : null;
    },

    parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders) {
      const unauthorized = err(
        failure('unauthorized', 'invalid_signature', 'the X-ANET-Signature header does not verify'),
      );
      const header = headers['x-anet-signature'];
      if (!s.signatureKey || typeof header !== 'string' || !header.toLowerCase().startsWith('sha512='))
        return unauthorized;
      const given = Buffer.from(header.slice(7).toUpperCase());
      const expected = Buffer.from(
        createHmac('sha512', s.signatureKey).update(rawBody).digest('hex').toUpperCase(),
      );
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return unauthorized;
      let body: Json;
      try {
        body = JSON.parse(rawBody.toString('utf8')) as Json;
      } catch {
        return err(failure('invalid', 'invalid_webhook', 'the notification is not JSON'));
      }
      const payload = (body.payload ?? {}) as Json;
      return ok({
        id: String(body.notificationId ?? ''),
        type: String(body.eventType ?? ''),
        processorId: payload.entityName === 'transaction' && payload.id ? String(payload.id) : null,
        dispute: null,
      });
    },

    close: () => client.close(),
  };
}
