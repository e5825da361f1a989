import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../../domain/cob-batch.js';

/** The batch's leases still visited by close of business (`l`: loans, `i`: their payment rows). */
export const inBatch = (b: CobBatch): SQL =>
  sql`l.tenant_id = ${b.tenantId} AND l.id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND i.tenant_id = ${b.tenantId} AND i.loan_id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND l.product = 'lease' AND l.cob_active`;
