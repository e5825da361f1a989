import { err, failure } from '../../../../kernel/result.js';
import type { ProviderDefinition } from '../../../../providers/types.js';
import { type LineProgramTerms, lineProgramTermsSchema } from '../../domain/revolving/index.js';
import type { LendingProgram } from '../../product.js';

const notYet = () =>
  err(failure('unprocessable', 'product_not_serviced', 'line-of-credit servicing is not available yet'));

/** Revolving lines of credit (the `line_of_credit` program type). Programs validate today; servicing comes next. */
export const lineOfCreditDefinition: ProviderDefinition<LineProgramTerms, LendingProgram> = {
  serviceType: 'lending_program',
  key: 'line_of_credit',
  displayName: 'Line of credit',
  metadata: {
    documentation: 'src/modules/lending/domain/revolving/terms.ts',
    requiredSettings: ['currency', 'credit_limit', 'annual_interest_rate', 'minimum_payment'],
    testedWith: 'built-in',
    category: 'open_end_credit',
  },
  configSchema: lineProgramTermsSchema,
  secretFields: [],
  create: () => ({ product: 'line_of_credit', servicing: null, open: notYet, quote: notYet }),
};
