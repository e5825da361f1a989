import {
  type LineProgramTerms,
  lineProgramTermsSchema,
  lineRequestSchema,
} from '../../domain/revolving/index.js';
import type { LendingProgramDefinition } from '../../product.js';
import { lineProgram } from './program.js';
import { lineServicing } from './servicing.js';

/**
 * Revolving lines of credit (the `line_of_credit` program type): draws, payments and fees in billing cycles,
 * average-daily-balance interest, periodic statements with a minimum payment, late fees, freeze and close.
 */
export const lineOfCreditDefinition: LendingProgramDefinition<LineProgramTerms> = {
  serviceType: 'lending_program',
  key: 'line_of_credit',
  displayName: 'Line of credit',
  metadata: {
    documentation: 'src/modules/lending/providers/line_of_credit/README.md',
    requiredSettings: ['currency', 'credit_limit', 'annual_interest_rate', 'minimum_payment'],
    testedWith: 'built-in',
    category: 'open_end_credit',
    capabilities: [
      'quote',
      'draws',
      'payments',
      'statements',
      'reversals',
      'close_of_business',
      'card_funding',
    ],
  },
  configSchema: lineProgramTermsSchema,
  requestSchema: lineRequestSchema,
  secretFields: [],
  servicing: lineServicing,
  create: (terms) => lineProgram(terms),
};
