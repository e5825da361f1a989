import type { AnyProviderDefinition } from '../../providers/index.js';
import { Registry } from '../../providers/index.js';
import type { CobStep, LendingProduct, LoanServicing } from './product.js';
import { installmentLoanDefinition } from './providers/installment_loan/index.js';
import { installmentServicing } from './providers/installment_loan/servicing.js';
import { leaseDefinition } from './providers/lease/index.js';
import { leaseServicing } from './providers/lease/servicing.js';
import { lineOfCreditDefinition } from './providers/line_of_credit/index.js';
import { lineServicing } from './providers/line_of_credit/servicing.js';

export const LENDING_PROGRAM_DEFINITIONS: readonly AnyProviderDefinition[] = [
  installmentLoanDefinition,
  leaseDefinition,
  lineOfCreditDefinition,
];

/**
 * The lending program types. A program's `program_type` is a key here and its `terms` are validated by the
 * definition's config schema.
 */
export function lendingProgramRegistry(definitions: readonly AnyProviderDefinition[] = []): Registry {
  const registry = new Registry('lending_program');
  for (const def of [...LENDING_PROGRAM_DEFINITIONS, ...definitions]) registry.register(def);
  return registry;
}

/** Each product's servicing, shared by all its programs (null: not serviced yet). */
const SERVICING: Record<LendingProduct, LoanServicing | null> = {
  installment_loan: installmentServicing,
  lease: leaseServicing,
  line_of_credit: lineServicing,
};

export const servicingOf = (product: string): LoanServicing | null =>
  (SERVICING as Record<string, LoanServicing | null>)[product] ?? null;

/** Every product's close-of-business steps, in product order. */
export const closeOfBusinessSteps = (): CobStep[] =>
  Object.values(SERVICING).flatMap((s) => (s ? [...s.closeOfBusiness] : []));
