import type { IncomingHttpHeaders } from 'node:http';
import Stripe from 'stripe';
import { ProviderError } from '../../../../kernel/errors.js';
import { err, failure, ok } from '../../../../kernel/result.js';
import type {
  AttachRequest,
  AttachResult,
  AuthResult,
  ChargeRequest,
  PaymentProcessor,
  PaymentRef,
  ProcessorEvent,
  ProcessorView,
  RefundRequest,
} from '../../domain/processor.js';
import { stripeError } from './errors.js';
import { declineOf, disputeStatusOf, vendorMethodOf, viewOf } from './mappers.js';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string | null;
  /** Where the API is (Stripe's, or a simulator's): scheme, host and port. */
  apiBase: URL;
  timeoutMs: number;
  networkRetries: number;
  currencies: readonly string[];
}

/**
 * Starts an SDK request without the caller's stack. The SDK captures it on every request (`new Error().stack`,
 * read at once, to attach to an error that may come later): formatting those frames was about a fifth of the
 * SDK's CPU per call (90 of 430 µs, frames source-mapped; bench/RESULTS.md). Plinth maps every SDK error to its
 * own and never shows the SDK's call site. The SDK reads the stack synchronously, before its first await, so
 * nothing else runs while the limit is down; errors made later (the vendor's answer) have their stacks as usual.
 */
function withoutCallSite<T>(start: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Tokens Stripe's test mode accepts in place of a PaymentMethod id (`tok_visa`), turned into one. */
const isToken = (s: string) => s.startsWith('tok_');

/**
 * The payment processor over the official `stripe` SDK, one client per config (never the SDK's global settings).
 * Every POST carries an idempotency key derived from the payment's reference (`plinth:<reference>:<operation>`),
 * so the SDK's own retries, a client's retry and the reconciler's re-send all get the first call's answer.
 */
export function stripeProcessor(s: StripeSettings): PaymentProcessor {
  const stripe = new Stripe(s.secretKey, {
    host: s.apiBase.hostname,
    port: Number(s.apiBase.port || (s.apiBase.protocol === 'https:' ? 443 : 80)),
    protocol: s.apiBase.protocol === 'http:' ? 'http' : 'https',
    timeout: s.timeoutMs,
    maxNetworkRetries: s.networkRetries,
    telemetry: false,
  });
  const key = (reference: string, operation: string) => ({
    idempotencyKey: `plinth:${reference}:${operation}`,
  });
  const call = async <T>(operation: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw stripeError(e, operation);
    }
  };

  return {
    currencies: s.currencies,
    // Stripe keeps idempotency keys for at least 24 hours.
    replayWindowSeconds: 23 * 3600,

    async attachPaymentMethod(r: AttachRequest): Promise<AttachResult> {
      const customer =
        r.customerRef ??
        (
          await call('customers.create', () =>
            stripe.customers.create(
              {
                name: r.customer.name,
                ...(r.customer.email ? { email: r.customer.email } : {}),
                metadata: { plinth_customer_id: r.customer.id },
              },
              key(r.reference, 'customer'),
            ),
          )
        ).id;
      try {
        if ('token' in r.source) {
          const token = r.source.token;
          const id = isToken(token)
            ? (
                await stripe.paymentMethods.create(
                  { type: 'card', card: { token } },
                  key(r.reference, 'payment_method'),
                )
              ).id
            : token;
          const pm = await stripe.paymentMethods.attach(id, { customer }, key(r.reference, 'attach'));
          return { outcome: 'attached', method: vendorMethodOf(pm) };
        }
        const pm = await stripe.paymentMethods.retrieve(r.source.methodRef);
        const owner = typeof pm.customer === 'string' ? pm.customer : pm.customer?.id;
        if (owner !== r.source.customerRef)
          throw new ProviderError('rejected', 'stripe: the payment method belongs to another customer', {
            provider: 'stripe',
            vendorCode: 'resource_missing',
          });
        return { outcome: 'attached', method: vendorMethodOf(pm) };
      } catch (e) {
        if (e instanceof Stripe.errors.StripeCardError)
          return { outcome: 'declined', decline: declineOf(e.code, e.decline_code, e.message) };
        throw stripeError(e, 'payment_methods.attach');
      }
    },

    async authorize(r: ChargeRequest): Promise<AuthResult> {
      const bank = r.method.kind === 'bank_account';
      const params: Stripe.PaymentIntentCreateParams = {
        amount: r.amount,
        currency: r.currency.toLowerCase(),
        customer: r.method.customerRef,
        payment_method: r.method.methodRef,
        allowed_payment_method_types: [bank ? 'us_bank_account' : 'card'],
        confirm: true,
        capture_method: r.capture || bank ? 'automatic' : 'manual',
        metadata: { ...r.metadata, plinth_reference: r.reference },
        ...(r.description ? { description: r.description } : {}),
        ...(bank && r.mandate
          ? {
              mandate_data: {
                customer_acceptance: {
                  type: 'online',
                  online: { ip_address: r.mandate.ipAddress, user_agent: r.mandate.userAgent },
                },
              },
            }
          : bank
            ? { off_session: true }
            : {}),
      };
      try {
        const pi = await withoutCallSite(() =>
          stripe.paymentIntents.create(params, key(r.reference, 'create')),
        );
        const view = viewOf(pi, r.method.kind);
        if (view.status === 'declined')
          return { outcome: 'declined', processorId: pi.id, decline: view.decline! };
        return {
          outcome: 'approved',
          status:
            view.status === 'authorized'
              ? 'authorized'
              : view.status === 'processing'
                ? 'processing'
                : 'captured',
          processorId: pi.id,
          amountAuthorized: pi.amount,
          amountCaptured: view.status === 'authorized' ? 0 : pi.amount_received || pi.amount,
        };
      } catch (e) {
        if (e instanceof Stripe.errors.StripeCardError) {
          const raw = e.raw as { payment_intent?: { id?: string } };
          return {
            outcome: 'declined',
            processorId: raw.payment_intent?.id ?? null,
            decline: declineOf(e.code, e.decline_code, e.message),
          };
        }
        throw stripeError(e, 'payment_intents.create');
      }
    },

    async capture(ref: PaymentRef, amount: number) {
      const pi = await call('payment_intents.capture', () =>
        stripe.paymentIntents.capture(
          ref.processorId!,
          { amount_to_capture: amount },
          key(ref.reference, 'capture'),
        ),
      );
      return { amountCaptured: pi.amount_received };
    },

    async void(ref: PaymentRef) {
      await call('payment_intents.cancel', () =>
        stripe.paymentIntents.cancel(ref.processorId!, {}, key(ref.reference, 'cancel')),
      );
      return { voided: true as const };
    },

    async refund(ref: PaymentRef, r: RefundRequest) {
      const refund = await call('refunds.create', () =>
        stripe.refunds.create(
          { payment_intent: ref.processorId!, amount: r.amount, metadata: { plinth_reference: r.reference } },
          key(r.reference, 'refund'),
        ),
      );
      return {
        refundId: refund.id,
        status: refund.status === 'succeeded' ? ('succeeded' as const) : ('pending' as const),
      };
    },

    async retrieve(ref: PaymentRef): Promise<ProcessorView | null> {
      // Stripe cannot look a PaymentIntent up by our reference: an unanswered create is re-sent with its key.
      if (!ref.processorId) return null;
      try {
        const pi = await stripe.paymentIntents.retrieve(ref.processorId, { expand: ['latest_charge'] });
        return viewOf(pi, ref.kind);
      } catch (e) {
        if (e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404) return null;
        throw stripeError(e, 'payment_intents.retrieve');
      }
    },

    parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, now: Date) {
      const signature = headers['stripe-signature'];
      const unauthorized = err(
        failure('unauthorized', 'invalid_signature', 'the Stripe-Signature header does not verify'),
      );
      if (!s.webhookSecret || typeof signature !== 'string') return unauthorized;
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(
          rawBody,
          signature,
          s.webhookSecret,
          300,
          undefined,
          now.getTime(),
        );
      } catch {
        return unauthorized;
      }
      return ok(eventOf(event));
    },

    close: async () => {},
  };
}

/** Which PaymentIntent an event concerns, and a dispute's status as the event carries it. */
function eventOf(event: Stripe.Event): ProcessorEvent {
  const object = event.data.object as unknown as Record<string, unknown>;
  const pi = (v: unknown) => (typeof v === 'string' ? v : null);
  const base = { id: event.id, type: event.type, dispute: null };
  switch (object.object) {
    case 'payment_intent':
      return { ...base, processorId: pi(object.id) };
    case 'charge':
    case 'refund':
      return { ...base, processorId: pi(object.payment_intent) };
    case 'dispute':
      return {
        ...base,
        processorId: pi(object.payment_intent),
        dispute:
          event.type === 'charge.dispute.funds_reinstated' ? 'won' : disputeStatusOf(String(object.status)),
      };
    default:
      return { ...base, processorId: null };
  }
}
