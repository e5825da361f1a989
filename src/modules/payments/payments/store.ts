import { and, asc, desc, eq, getTableColumns, isNotNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import {
  type PaymentRow,
  paymentRefunds,
  payments,
  paymentTransitions,
  type RefundRow,
  type TransitionRow,
  type TransitionSource,
} from '../tables.js';

/** The payments table's columns, field name to column name (a row's json as PostgreSQL's row type reads it). */
const PAYMENT_COLUMNS = Object.entries(getTableColumns(payments)).map(
  ([field, c]) => [field as keyof PaymentRow, c.name] as const,
);

/**
 * A new payment with its first transition, in one statement: the row goes as json of the table's row type
 * (json_populate_record), and the transition takes it FROM the insert, so both commit or neither does. A unique
 * violation of the payment's Idempotency-Key (`payments_idempotency_key`) leaves nothing written. Every column
 * of the table takes the row's value: a column the drizzle schema lacked would be written null, not its default.
 */
export async function insertPayment(
  db: Db,
  row: PaymentRow,
  source: TransitionSource,
  /** What else the first transition records (the compliance decision it was admitted with). */
  detail: Record<string, unknown> | null = null,
): Promise<PaymentRow> {
  const json = JSON.stringify(
    Object.fromEntries(PAYMENT_COLUMNS.map(([field, column]) => [column, row[field] ?? null])),
  );
  const first = JSON.stringify({ amount: row.amount, capture: row.capture, ...detail });
  await db.execute(sql`WITH p AS (
      INSERT INTO payments SELECT * FROM json_populate_record(null::payments, ${json}::json)
      RETURNING tenant_id, id, state)
    INSERT INTO payment_transitions (tenant_id, payment_id, seq, from_state, to_state, source, detail)
    SELECT tenant_id, id, 1, NULL, state, ${source}, ${first}::jsonb FROM p`);
  return row;
}

export async function findPayment(db: Db, tenantId: string, id: string): Promise<PaymentRow | undefined> {
  const [r] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.id, id)));
  return r;
}

export async function findByKey(db: Db, tenantId: string, key: string): Promise<PaymentRow | undefined> {
  const [r] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.idempotencyKey, key)));
  return r;
}

export async function findByProcessorId(
  db: Db,
  tenantId: string,
  configId: string,
  processorId: string,
): Promise<PaymentRow | undefined> {
  const [r] = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.tenantId, tenantId),
        eq(payments.providerConfigId, configId),
        eq(payments.processorId, processorId),
      ),
    );
  return r;
}

export interface PaymentFilter {
  limit: number;
  before?: string;
  customerId?: string;
  loanId?: string;
  state?: string;
}

/** Keyset pagination on the time-ordered id. */
export async function listPayments(db: Db, tenantId: string, f: PaymentFilter): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.tenantId, tenantId),
        f.before ? lt(payments.id, f.before) : undefined,
        f.customerId ? eq(payments.customerId, f.customerId) : undefined,
        f.loanId ? eq(payments.loanId, f.loanId) : undefined,
        f.state ? eq(payments.state, f.state as PaymentRow['state']) : undefined,
      ),
    )
    .orderBy(desc(payments.id))
    .limit(f.limit);
}

/** Payments the reconciler should look at now, across tenants, oldest first. */
export async function dueForCheck(db: Db, now: Date, limit: number): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(and(isNotNull(payments.nextCheckAt), lte(payments.nextCheckAt, now)))
    .orderBy(asc(payments.nextCheckAt))
    .limit(limit);
}

export async function listTransitions(db: Db, tenantId: string, paymentId: string): Promise<TransitionRow[]> {
  return db
    .select()
    .from(paymentTransitions)
    .where(and(eq(paymentTransitions.tenantId, tenantId), eq(paymentTransitions.paymentId, paymentId)))
    .orderBy(asc(paymentTransitions.seq));
}

export async function insertRefund(db: Db, row: typeof paymentRefunds.$inferInsert): Promise<RefundRow> {
  const [r] = await db.insert(paymentRefunds).values(row).returning();
  return r!;
}

export async function listRefunds(db: Db, tenantId: string, paymentId: string): Promise<RefundRow[]> {
  return db
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.paymentId, paymentId)))
    .orderBy(asc(paymentRefunds.id));
}

export async function findRefundByKey(db: Db, tenantId: string, key: string): Promise<RefundRow | undefined> {
  const [r] = await db
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.idempotencyKey, key)));
  return r;
}

export async function findRefundByProcessorId(
  db: Db,
  tenantId: string,
  processorRefundId: string,
): Promise<RefundRow | undefined> {
  const [r] = await db
    .select()
    .from(paymentRefunds)
    .where(
      and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.processorRefundId, processorRefundId)),
    );
  return r;
}

/** Refunds whose amount is committed or may be (requested, pending): counted against what is refundable. */
export async function refundsInFlight(db: Db, tenantId: string, paymentId: string): Promise<number> {
  const [r] = await db
    .select({ total: sql<string>`coalesce(sum(${paymentRefunds.amount}), 0)` })
    .from(paymentRefunds)
    .where(
      and(
        eq(paymentRefunds.tenantId, tenantId),
        eq(paymentRefunds.paymentId, paymentId),
        eq(paymentRefunds.status, 'requested'),
      ),
    );
  return Number(r?.total ?? 0);
}

/** Refunds whose answer never came, requested before `before`, across tenants. */
export async function refundsToResend(db: Db, before: Date, limit: number): Promise<RefundRow[]> {
  return db
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.status, 'requested'), lte(paymentRefunds.createdAt, before)))
    .orderBy(asc(paymentRefunds.createdAt))
    .limit(limit);
}

/** Moves the reconciler's next look at a payment (no transition: nothing about the payment changed). */
export async function reschedule(db: Db, p: PaymentRow, nextCheckAt: Date | null): Promise<void> {
  await db
    .update(payments)
    .set({ nextCheckAt })
    .where(and(eq(payments.tenantId, p.tenantId), eq(payments.id, p.id), eq(payments.version, p.version)));
}
