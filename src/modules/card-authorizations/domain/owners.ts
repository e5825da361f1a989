import { z } from 'zod';
import type { Scope } from '../../../kernel/audit.js';
import { type Failure, invalidField } from '../../../kernel/result.js';

/** Who owns a card or a line of credit: a snake_case type (`customer`, `loan`, `team`…) and its id. */
export const ownerTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case, e.g. customer');

/** The owner type whose lines are funded by a revolving loan (funding/): its `owner_ref` is the loan's id. */
export const LOAN_OWNER = 'loan';

/** Whether a loan exists in the tenant: the lending module's answer, a port the composition root fills. */
export type LoanExists = (scope: Scope, loanId: string) => Promise<boolean>;

/**
 * Why this owner cannot own a card or a line of credit, or undefined. A loan owner must be a loan of the tenant
 * (another tenant's loan is not one: its spend would be approved and its funding draw fail later); other owner
 * types are the tenant's own references, not checked.
 */
export async function ownerProblem(
  loanExists: LoanExists,
  scope: Scope,
  owner: { ownerType: string; ownerRef: string },
): Promise<Failure | undefined> {
  if (owner.ownerType !== LOAN_OWNER || (await loanExists(scope, owner.ownerRef))) return undefined;
  return invalidField('owner_ref', 'no loan with this id in the tenant', 'unknown_owner');
}
