import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../cob-batch.js';

/** Loans of the batch that are installment loans still visited by close of business (`l`: loans). */
export const inBatch = (b: CobBatch): SQL =>
  sql`l.tenant_id = ${b.tenantId} AND l.id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND l.product = 'installment_loan' AND l.cob_active`;

/** What an installment row (`i`) still owes of one component. */
export const outstanding = (c: string): SQL => sql.raw(`(i.${c}_due - i.${c}_paid - i.${c}_waived)`);
