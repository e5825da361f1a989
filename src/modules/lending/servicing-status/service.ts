import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, isUniqueViolation } from '../../../kernel/db.js';
import { type Precondition, satisfies, stale } from '../../../kernel/etag.js';
import { publishEvents } from '../../../kernel/events.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import type { BusinessDateService } from '../business-date/service.js';
import {
  checkStatusChange,
  type ServicingStatus,
  type StatusAction,
  statusAsOf,
} from '../domain/servicing-status.js';
import { LENDING_EVENTS } from '../events/published.js';
import { findLoan } from '../servicing/store.js';
import type { LoanRow, ServicingStatusRow } from '../tables.js';
import { bumpVersion, insertStatusRecord, listStatusRecords, statusRecordOf } from './store.js';

export interface StatusChangeInput {
  action: StatusAction;
  /** Default: the business date. */
  effectiveDate?: CalendarDate;
  agency?: string;
}

export interface StatusView {
  loan: LoanRow;
  businessDate: CalendarDate;
  status: ServicingStatus;
  records: ServicingStatusRow[];
}

/** The payload of `lending.servicing_status_changed`. */
export interface ServicingStatusPayload {
  loan_id: string;
  action: StatusAction;
  effective_date: CalendarDate;
  agency: string | null;
  loan_status: string;
  in_collection: boolean;
  collateral: 'repossession' | 'surrender' | null;
}

const ATTEMPTS = 5;
const concurrentUpdate = failure(
  'conflict',
  'concurrent_update',
  'the loan kept changing while this request was applied: retry it',
);

/**
 * A loan's servicing status (domain/servicing-status.ts): collection placements and recalls, the collateral's
 * repossession, surrender and reinstatement. A change is one transaction: the loan moves to its next version
 * (so If-Match and the loan's other writes see it), the record, the audit entry and `lending.servicing_status_changed`.
 */
export class ServicingStatusService {
  constructor(
    private readonly deps: {
      db: Db;
      audit: AuditWriter;
      businessDates: BusinessDateService;
      /** Wakes the event relay after a commit. */
      published?: () => void;
    },
  ) {}

  async view(scope: Scope, loanId: string): Promise<Result<StatusView>> {
    const loan = isUuid(loanId) ? await findLoan(this.deps.db, scope.tenantId, loanId) : undefined;
    if (!loan) return err(notFound('loan'));
    const [businessDate, records] = await Promise.all([
      this.deps.businessDates.current(this.deps.db, scope.tenantId),
      listStatusRecords(this.deps.db, scope.tenantId, loanId),
    ]);
    return ok({ loan, businessDate, records, status: statusAsOf(records.map(statusRecordOf), businessDate) });
  }

  /**
   * Records a change when the loan's state allows it (409 naming the state otherwise, 422 naming the field for a
   * date out of bounds, 412 when If-Match names another version). A loan that another write moved on meanwhile
   * is read again.
   */
  async change(
    scope: Scope,
    loanId: string,
    input: StatusChangeInput,
    precondition: Precondition = null,
  ): Promise<Result<StatusView & { record: ServicingStatusRow }>> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const read = await this.view(scope, loanId);
      if (!read.ok) return read;
      const { loan, businessDate, records } = read.value;
      if (!satisfies(precondition, loan.version)) return err(stale('loan', loan.version));
      const effectiveDate = input.effectiveDate ?? businessDate;
      const checked = checkStatusChange(
        loan,
        records.map(statusRecordOf),
        { action: input.action, effectiveDate, ...(input.agency && { agency: input.agency }) },
        businessDate,
      );
      if (!checked.ok) return checked;
      const actor = scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type;
      try {
        const done = await this.deps.db.transaction(async (tx) => {
          const version = await bumpVersion(tx, scope.tenantId, loan.id, loan.version, businessDate);
          if (version === null) return null;
          const record = await insertStatusRecord(tx, {
            tenantId: scope.tenantId,
            loanId: loan.id,
            sequence: (records.at(-1)?.sequence ?? 0) + 1,
            action: input.action,
            effectiveDate,
            agency: input.agency ?? null,
            firstDelinquency: checked.value.firstDelinquency,
            loanStatus: loan.status,
            businessDate,
            actor,
          });
          const all = [...records, record];
          const status = statusAsOf(all.map(statusRecordOf), businessDate);
          await this.deps.audit(tx, scope, {
            action: `loan.${input.action}`,
            entityType: 'loan',
            entityId: loan.id,
            changes: {
              effective_date: effectiveDate,
              ...(record.agency && { agency: record.agency }),
              in_collection: status.collection !== null,
              collateral: status.collateral?.kind ?? null,
            },
          });
          const payload: ServicingStatusPayload = {
            loan_id: loan.id,
            action: input.action,
            effective_date: effectiveDate,
            agency: record.agency,
            loan_status: loan.status,
            in_collection: status.collection !== null,
            collateral: status.collateral?.kind ?? null,
          };
          await publishEvents(tx, [
            {
              tenantId: scope.tenantId,
              id: uuidv7(),
              type: LENDING_EVENTS.servicingStatusChanged,
              payload,
            },
          ]);
          return { loan: { ...loan, version }, businessDate, status, records: all, record };
        });
        if (done) {
          this.deps.published?.();
          return ok(done);
        }
      } catch (e) {
        // Another change took the sequence number: read again.
        if (!isUniqueViolation(e)) throw e;
      }
    }
    return err(concurrentUpdate);
  }
}
