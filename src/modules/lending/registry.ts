import { Registry } from '../../providers/index.js';
import type { CobStep, LendingProgramDefinition, LoanServicing } from './product.js';
import { installmentLoanDefinition } from './providers/installment_loan/index.js';
import { leaseDefinition } from './providers/lease/index.js';
import { lineOfCreditDefinition } from './providers/line_of_credit/index.js';

/**
 * The lending program types: the only list of products. A program's `program_type` is a key here, its `terms` are
 * validated by the definition's config schema, and its loans are serviced by the definition's `servicing`.
 * (`loans.product` has a CHECK over the same keys as a database guard; test/lending/products.test.ts keeps the two
 * equal.)
 */
export const LENDING_PROGRAM_DEFINITIONS: readonly LendingProgramDefinition[] = [
  installmentLoanDefinition,
  leaseDefinition,
  lineOfCreditDefinition,
];

/** The products' keys, in registry order. */
export const LENDING_PRODUCTS: readonly string[] = LENDING_PROGRAM_DEFINITIONS.map((d) => d.key);

/** Every product's servicing, in registry order. */
export const LENDING_SERVICING: readonly LoanServicing[] = LENDING_PROGRAM_DEFINITIONS.map(
  (d) => d.servicing,
);

export function lendingProgramRegistry(): Registry {
  const registry = new Registry('lending_program');
  for (const def of LENDING_PROGRAM_DEFINITIONS) registry.register(def);
  return registry;
}

const SERVICING = new Map(LENDING_PROGRAM_DEFINITIONS.map((d) => [d.key, d.servicing]));

/** A product's servicing, shared by all its programs; null for a key that is no product. */
export const servicingOf = (product: string): LoanServicing | null => SERVICING.get(product) ?? null;

/** Every product's close-of-business steps, in registry order. */
export const closeOfBusinessSteps = (): CobStep[] => LENDING_SERVICING.flatMap((s) => [...s.closeOfBusiness]);
