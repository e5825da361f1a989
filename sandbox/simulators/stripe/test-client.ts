import Stripe from 'stripe';
import type { StripeSimulator } from './index.js';

/** The official SDK pointed at a simulator, as the tests (and Plinth's provider) construct it. */
export const sdkFor = (
  sim: StripeSimulator,
  opts: { timeout?: number; maxNetworkRetries?: number } = {},
): Stripe => new Stripe(sim.apiKey, { ...sim.sdkOptions(), ...opts });

/** The error a call rejects with (fails the test if it resolves). */
export async function rejection(
  p: Promise<unknown>,
): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Stripe.errors.StripeError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
