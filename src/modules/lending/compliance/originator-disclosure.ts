import { z } from 'zod';
import { nonNegativeMinorSchema, percentSchema } from '../domain/common-terms.js';

/**
 * The Truth in Lending figures an originator disclosed to the borrower, when a loan comes to Plinth with them (a
 * broker's or a loan origination system's closing disclosure, a purchased loan): what the borrower was told. They
 * are stored as given (the loan's `originator_disclosure`) and are what compliance's `tila_apr_disclosure` checks
 * at quote-less hooks (approval, disbursement) against the figures lending computes by Appendix J from the loan's
 * own schedule (`disclosure`). Without them, the disclosure checked is lending's own.
 */
export const originatorDisclosureSchema = z.strictObject({
  /** The disclosed APR, percent, as printed ("9.69"). */
  apr: percentSchema,
  /** The disclosed finance charge, minor units. */
  finance_charge: nonNegativeMinorSchema,
  /** The disclosed amount financed, minor units (checked for equality when given). */
  amount_financed: nonNegativeMinorSchema.optional(),
});
export type OriginatorDisclosure = z.output<typeof originatorDisclosureSchema>;

/** Products whose disclosure is a closed-end one with an APR (1026.18): the only ones with such figures. */
export const DISCLOSES_APR: ReadonlySet<string> = new Set(['installment_loan']);
