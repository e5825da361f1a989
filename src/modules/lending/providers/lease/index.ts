import {
  type LeaseProgramTerms,
  leaseProgramTermsSchema,
  leaseRequestSchema,
} from '../../domain/lease/index.js';
import type { LendingProgramDefinition } from '../../product.js';
import { leaseProgram } from './program.js';
import { leaseServicing } from './servicing.js';

/**
 * Closed-end leases (the `lease` program type): constant-yield payments in advance split into rent charge and
 * depreciation, sales tax, late fees, early termination, return or purchase at maturity.
 */
export const leaseDefinition: LendingProgramDefinition<LeaseProgramTerms> = {
  serviceType: 'lending_program',
  key: 'lease',
  displayName: 'Closed-end lease',
  metadata: {
    documentation: 'src/modules/lending/providers/lease/README.md',
    requiredSettings: ['currency', 'annual_interest_rate', 'term_count'],
    testedWith: 'built-in',
    category: 'lease',
    capabilities: ['quote', 'schedule', 'payments', 'reversals', 'early_termination', 'close_of_business'],
  },
  configSchema: leaseProgramTermsSchema,
  requestSchema: leaseRequestSchema,
  secretFields: [],
  servicing: leaseServicing,
  create: (terms) => leaseProgram(terms),
};
