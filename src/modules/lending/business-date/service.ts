import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import { type CalendarDate, dateInZone } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import { hasLoans } from '../servicing/store.js';
import * as store from './store.js';

/**
 * Each tenant's business date: the open business day. Every loan event is effective on or before it, and close of
 * business is what moves it on, one day at a time. The first time it is needed it is the tenant's calendar date in
 * its own time zone; an admin may set it while the tenant has no loans (to start on a chosen day), never after.
 */
export class BusinessDateService {
  constructor(
    private readonly deps: {
      db: Db;
      audit: AuditWriter;
      timeZoneOf: (tenantId: string) => Promise<string>;
      now: () => Date;
    },
  ) {}

  /**
   * The business date, fixing it at the tenant's calendar date the first time. Outside any transaction: the time
   * zone comes from the tenancy module's own connection.
   */
  async ensure(tenantId: string): Promise<CalendarDate> {
    const found = await store.findBusinessDate(this.deps.db, tenantId);
    if (found) return found;
    const today = dateInZone(this.deps.now(), await this.deps.timeZoneOf(tenantId));
    return store.initBusinessDate(this.deps.db, tenantId, today);
  }

  /**
   * The business date read on `db` (inside a write's transaction, after its loan lock: see README). The tenant's
   * loans were created after `ensure`, so it exists.
   */
  async current(db: Db, tenantId: string): Promise<CalendarDate> {
    const found = await store.findBusinessDate(db, tenantId);
    if (!found) throw new Error(`tenant ${tenantId} has no business date`);
    return found;
  }

  async get(scope: Scope): Promise<CalendarDate> {
    return this.ensure(scope.tenantId);
  }

  async set(scope: Scope, value: CalendarDate): Promise<Result<CalendarDate>> {
    await this.ensure(scope.tenantId);
    return this.deps.db.transaction(async (tx) => {
      const previous = await store.findBusinessDate(tx, scope.tenantId, { lock: true });
      // Close of business records its runs by date: a date set back would meet runs already done and close
      // nothing, and one set forward would skip days no run accrued. Once it has run, only it moves the date.
      if (await store.hasClosedDays(tx, scope.tenantId))
        return err(
          failure(
            'conflict',
            'business_date_closed',
            'close of business has run for this tenant: only close of business moves the business date now',
            {
              fields: [
                { path: 'business_date', message: 'can only be set before the first close of business' },
              ],
            },
          ),
        );
      if (await hasLoans(tx, scope.tenantId))
        return err(
          failure(
            'conflict',
            'business_date_in_use',
            'the tenant has loans: only close of business moves the business date now',
            { fields: [{ path: 'business_date', message: 'can only be set before the first loan' }] },
          ),
        );
      await store.setBusinessDate(tx, scope.tenantId, value);
      await this.deps.audit(tx, scope, {
        action: 'business_date.set',
        entityType: 'business_date',
        entityId: scope.tenantId,
        changes: { from: previous, to: value },
      });
      return ok(value);
    });
  }
}
