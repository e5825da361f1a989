import {
  type InstallmentProgramTerms,
  installmentLoanRequestSchema,
  installmentProgramTermsSchema,
} from '../../domain/installment/index.js';
import type { LendingProgramDefinition } from '../../product.js';
import { installmentProgram } from './program.js';
import { installmentServicing } from './servicing.js';

/** Installment loans: amortizing loans repaid in scheduled installments (the `installment_loan` program type). */
export const installmentLoanDefinition: LendingProgramDefinition<InstallmentProgramTerms> = {
  serviceType: 'lending_program',
  key: 'installment_loan',
  displayName: 'Installment loan',
  metadata: {
    documentation: 'src/modules/lending/domain/installment/README.md',
    requiredSettings: ['currency', 'annual_interest_rate', 'term_count', 'principal'],
    testedWith: 'built-in',
    category: 'closed_end_credit',
    capabilities: ['quote', 'schedule', 'payments', 'payoff', 'reversals', 'close_of_business', 'apr'],
  },
  configSchema: installmentProgramTermsSchema,
  requestSchema: installmentLoanRequestSchema,
  secretFields: [],
  servicing: installmentServicing,
  create: (terms) => installmentProgram(terms),
};
