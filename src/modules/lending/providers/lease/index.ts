import { err, failure } from '../../../../kernel/result.js';
import type { ProviderDefinition } from '../../../../providers/types.js';
import { type LeaseProgramTerms, leaseProgramTermsSchema } from '../../domain/lease/index.js';
import type { LendingProgram } from '../../product.js';

const notYet = () =>
  err(failure('unprocessable', 'product_not_serviced', 'lease quotes and servicing are not available yet'));

/** Closed-end leases (the `lease` program type). Programs validate today; quotes and servicing come next. */
export const leaseDefinition: ProviderDefinition<LeaseProgramTerms, LendingProgram> = {
  serviceType: 'lending_program',
  key: 'lease',
  displayName: 'Closed-end lease',
  metadata: {
    documentation: 'src/modules/lending/domain/lease/terms.ts',
    requiredSettings: ['currency', 'annual_interest_rate', 'term_count'],
    testedWith: 'built-in',
    category: 'lease',
  },
  configSchema: leaseProgramTermsSchema,
  secretFields: [],
  create: () => ({ product: 'lease', servicing: null, open: notYet, quote: notYet }),
};
