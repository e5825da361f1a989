// The payments module's public surface: payment processors (Stripe, Authorize.Net), payment methods, payments,
// refunds, loan collections and autopay, webhooks, the reconciler.
export type { Decline, DeclineCode } from './domain/declines.js';
export { DECLINE_CODES } from './domain/declines.js';
export type { PaymentProcessor, PaymentProcessorDefinition } from './domain/processor.js';
export type { PaymentState } from './domain/states.js';
export { type Payments, paymentsModule, RECONCILE_QUEUE } from './module.js';
export { PAYMENT_PROCESSORS } from './registry.js';
