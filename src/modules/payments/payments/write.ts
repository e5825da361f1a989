import { sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { keyCompleteSql, type StoredResponse } from '../../../kernel/idempotency.js';
import { type Column, recordsetJson } from '../../../kernel/statement.js';
import type { AttachedKind } from '../../lending/index.js';
import type { PaymentRow, RefundStatus, TransitionSource } from '../tables.js';

/**
 * A change of a payment, written as one statement: the payment row as it now is (only if it is still at the
 * version the change was made from), its transition (numbered with the new version: of two changes made from
 * one version, only one can commit), and a refund's new status. The same statement text serves alone (`write`)
 * and inside a loan's write (`paymentChange`, attached to the loan payment event the change caused), so a
 * payment and its loan always commit together.
 */
export interface PaymentChange {
  before: PaymentRow;
  after: PaymentRow;
  source: TransitionSource;
  detail: Record<string, unknown>;
  loanEventId: string | null;
  refund: { id: string; status: RefundStatus; processorRefundId: string | null; error: string | null } | null;
}

const ts = (d: Date | null) => (d ? d.toISOString() : null);

const COLUMNS: Column<PaymentChange>[] = [
  ['tenant', 'uuid', (c) => c.after.tenantId],
  ['id', 'uuid', (c) => c.after.id],
  ['version', 'int', (c) => c.before.version],
  ['state', 'text', (c) => c.after.state],
  ['stage', 'text', (c) => c.after.stage],
  ['amount_authorized', 'bigint', (c) => c.after.amountAuthorized],
  ['amount_captured', 'bigint', (c) => c.after.amountCaptured],
  ['amount_refunded', 'bigint', (c) => c.after.amountRefunded],
  ['dispute', 'text', (c) => c.after.dispute],
  ['operation', 'text', (c) => c.after.operation],
  ['operation_amount', 'bigint', (c) => c.after.operationAmount],
  ['operation_started_at', 'timestamptz', (c) => ts(c.after.operationStartedAt)],
  ['processor_id', 'text', (c) => c.after.processorId],
  ['decline_code', 'text', (c) => c.after.declineCode],
  ['decline_vendor_code', 'text', (c) => c.after.declineVendorCode],
  ['decline_message', 'text', (c) => c.after.declineMessage],
  ['return_code', 'text', (c) => c.after.returnCode],
  ['error', 'text', (c) => c.after.error],
  ['loan_applied', 'bigint', (c) => c.after.loanApplied],
  ['loan_event_id', 'uuid', (c) => c.after.loanEventId],
  ['loan_fee_charged', 'boolean', (c) => c.after.loanFeeCharged],
  ['loan_error', 'text', (c) => c.after.loanError],
  ['next_check_at', 'timestamptz', (c) => ts(c.after.nextCheckAt)],
  ['updated_at', 'timestamptz', (c) => c.after.updatedAt.toISOString()],
  ['from_state', 'text', (c) => c.before.state],
  ['source', 'text', (c) => c.source],
  ['detail', 'jsonb', (c) => c.detail],
  ['transition_event', 'uuid', (c) => c.loanEventId],
  ['refund_id', 'uuid', (c) => c.refund?.id ?? null],
  ['refund_status', 'text', (c) => c.refund?.status ?? null],
  ['refund_processor_id', 'text', (c) => c.refund?.processorRefundId ?? null],
  ['refund_error', 'text', (c) => c.refund?.error ?? null],
];

const SET = COLUMNS.slice(3, 24)
  .map(([name]) => `${name} = a.${name}`)
  .join(', ');

/** The statement's CTE bodies over rows FROM `source` (alias `a`). */
function changeCtes(source: string): string[] {
  return [
    `UPDATE payments p SET ${SET}, version = a.version + 1
       FROM ${source} WHERE p.tenant_id = a.tenant AND p.id = a.id AND p.version = a.version`,
    `INSERT INTO payment_transitions (tenant_id, payment_id, seq, from_state, to_state, source, detail, loan_event_id, at)
     SELECT a.tenant, a.id, a.version + 1, a.from_state, a.state, a.source, a.detail, a.transition_event, a.updated_at
       FROM ${source}`,
    `UPDATE payment_refunds r SET status = a.refund_status, processor_refund_id = coalesce(a.refund_processor_id, r.processor_refund_id),
            error = a.refund_error, updated_at = a.updated_at
       FROM ${source} WHERE a.refund_id IS NOT NULL AND r.tenant_id = a.tenant AND r.id = a.refund_id`,
  ];
}

/** The constraint a change made from an outdated version violates. */
export const TRANSITION_KEY = 'payment_transitions_pkey';

/** A payment change attached to a loan's write (lending's payments port). */
export const paymentChange: AttachedKind<PaymentChange> = {
  name: 'payment_change',
  columns: COLUMNS,
  ctes: changeCtes,
};

/**
 * A request's Idempotency-Key, claimed when its payment was recorded (claim.ts), completed with the response the
 * request gets in the statement that records the call's answer: the loan's write (attached) or the change alone.
 */
export interface KeyCompletion {
  tenantId: string;
  key: string;
  response: StoredResponse;
}

const KEY_COLUMNS: Column<KeyCompletion>[] = [
  ['tenant', 'uuid', (c) => c.tenantId],
  ['key', 'text', (c) => c.key],
  ['status', 'int', (c) => c.response.status],
  ['body', 'text', (c) => c.response.body],
];

const completeKey = (source: string) =>
  keyCompleteSql(source, { tenant: 'a.tenant', key: 'a.key', status: 'a.status', body: 'a.body' });

/** A key completion attached to a loan's write (lending's payments port). */
export const keyCompletion: AttachedKind<KeyCompletion> = {
  name: 'key_completion',
  columns: KEY_COLUMNS,
  ctes: (source) => [completeKey(source)],
};

const columnList = <T>(columns: readonly Column<T>[]) =>
  columns.map(([name, type]) => `${name} ${type}`).join(', ');

/** The statement text after its json parameter: the change's CTEs over `src`. */
const ALONE_TAIL = (() => {
  const ctes = changeCtes('src a').map((c, i) => `w${i} AS (${c})`);
  return `::json) AS a (${columnList(COLUMNS)})),\n${ctes.join(',\n')}`;
})();
/**
 * With a key: the completion's CTE around its own json parameter. A change that cannot be written fails the whole
 * statement (its transition's key), so the key is completed only with the change.
 */
const [KEY_HEAD, KEY_TAIL] = completeKey(`json_to_recordset(\u0000::json) AS a (${columnList(KEY_COLUMNS)})`)
  .split('\u0000')
  .map((part, i) => (i === 0 ? `,\nkc AS (${part}` : `${part})`)) as [string, string];

/**
 * Writes a change by itself (in `db`'s transaction when it is one), with `key`'s completion when given (written
 * only if the change is). Throws a unique violation of TRANSITION_KEY when the payment moved on since
 * `change.before`.
 */
export async function writeChange(db: Db, change: PaymentChange, key?: KeyCompletion | null): Promise<void> {
  const json = recordsetJson([change], COLUMNS);
  const tail = sql.raw(ALONE_TAIL);
  if (!key) {
    await db.execute(sql`WITH src AS (SELECT * FROM json_to_recordset(${json}${tail}\nSELECT 1 AS done`);
    return;
  }
  const keyJson = recordsetJson([key], KEY_COLUMNS);
  await db.execute(
    sql`WITH src AS (SELECT * FROM json_to_recordset(${json}${tail}${sql.raw(KEY_HEAD)}${keyJson}${sql.raw(KEY_TAIL)}\nSELECT 1 AS done`,
  );
}
