import { Registry } from '../../providers/index.js';
import type { PaymentProcessorDefinition } from './domain/processor.js';
import { authorizeNetProvider } from './providers/authorizenet/index.js';
import { stripeProvider } from './providers/stripe/index.js';

declare module '../../providers/index.js' {
  interface Capabilities {
    payment_processor: PaymentProcessorDefinition;
  }
}

/** The payment processors Plinth ships. */
export const PAYMENT_PROCESSORS: readonly PaymentProcessorDefinition[] = [
  stripeProvider,
  authorizeNetProvider,
];

export const paymentRegistries = (): Registry[] => [
  new Registry<PaymentProcessorDefinition>('payment_processor').registerAll(PAYMENT_PROCESSORS),
];
