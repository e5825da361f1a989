import type { CalendarDate } from '../../../kernel/dates.js';

/**
 * One batch of one close-of-business day: a tenant's loans with ids in [firstLoan, lastLoan], locked by the caller.
 * The `*.sql.ts` files beside each engine rule build their set-based statement over one.
 */
export interface CobBatch {
  tenantId: string;
  date: CalendarDate;
  firstLoan: string;
  lastLoan: string;
}
