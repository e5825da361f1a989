import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import type { BusinessDateService } from '../business-date/service.js';
import { byDelinquencyBucket, byProgramAndStatus } from './store.js';

/** The portfolio at a glance (the console's overview). */
export class PortfolioService {
  constructor(private readonly deps: { db: Db; businessDates: BusinessDateService }) {}

  async summary(scope: Scope) {
    const [programs, buckets, businessDate] = await Promise.all([
      byProgramAndStatus(this.deps.db, scope.tenantId),
      byDelinquencyBucket(this.deps.db, scope.tenantId),
      this.deps.businessDates.get(scope),
    ]);
    return { businessDate, programs, buckets };
  }
}
