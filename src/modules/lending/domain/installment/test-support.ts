import { type CalendarDate, parseDate } from '../../../../kernel/dates.js';
import { unwrap } from '../../../../kernel/result.js';
import { parseProgramTerms, resolveLoanTerms } from './resolve.js';
import type { LoanTerms } from './terms.js';

/** Test fixtures: a permissive program and a loan resolved under it. Imported by tests only. */

export const d = (s: string): CalendarDate => parseDate(s);

export function program(overrides: Record<string, unknown> = {}) {
  return unwrap(
    parseProgramTerms({
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '99', default: '12' },
      term_count: { min: 1, max: 600, default: 12 },
      principal: { min: 1, max: 100_000_000_000 },
      ...overrides,
    }),
  );
}

export function loanTerms(
  programOverrides: Record<string, unknown> = {},
  request: Record<string, unknown> = {},
): LoanTerms {
  return unwrap(
    resolveLoanTerms(program(programOverrides), {
      principal: 1_200_000,
      disbursement_date: '2024-01-15',
      ...request,
    }),
  );
}
