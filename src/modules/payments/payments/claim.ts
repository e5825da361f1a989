import { getTableColumns } from 'drizzle-orm';
import { type RawQuery, rowFromJson, rowJsonSql } from '../../../kernel/db.js';
import { type HeldKey, heldKeyOf, heldKeySql, keyClaimSql } from '../../../kernel/idempotency.js';
import { isUuid } from '../../../kernel/ids.js';
import { runStatement, Statement } from '../../../kernel/statement.js';
import {
  type PaymentMethodRow,
  type PaymentRow,
  paymentMethods,
  payments,
  type TransitionSource,
} from '../tables.js';

/**
 * A collection's record before the processor is called, in ONE statement: the request's Idempotency-Key claimed
 * (kernel/idempotency.ts), the payment method read, a payment already recorded under the key looked up, and,
 * only when the key was claimed, no payment holds it yet and the method may pay (the customer's, active, at the
 * processor the caller resolved), the payment inserted as pending with its call under way and its first
 * transition. The key and the payment commit together, so a key in progress always has its payment (or, after a
 * refusal, is completed with it); the statement that finalizes the payment completes the key.
 */
export interface ClaimRequest {
  tenantId: string;
  key: string;
  requestHash: string;
  paymentMethodId: string;
  customerId: string | null;
  providerConfigId: string;
  /** The new payment; its `kind` and `withMandate` are the method's, set by the statement. */
  row: PaymentRow;
  source: TransitionSource;
  detail: Record<string, unknown>;
}

export interface Claimed {
  /** The key is this request's now (new, or taken over from a request that abandoned it). */
  claimed: boolean;
  /** The payment was inserted (`row` as given, with the method's kind). */
  inserted: PaymentRow | null;
  /** A payment recorded under the key before (a retry after a 5xx or a crash resumes it). */
  existing: PaymentRow | null;
  method: PaymentMethodRow | null;
  /** The key's row as it was before the statement, when not claimed (null: a concurrent request holds it now). */
  held: HeldKey | null;
}

const FROM_METHOD: Record<string, string> = {
  kind: 'm.kind',
  with_mandate: `(m.kind = 'bank_account' AND NOT m.mandate_used)`,
};
const COLUMNS = Object.entries(getTableColumns(payments)).map(
  ([field, c]) => [field as keyof PaymentRow, c.name] as const,
);
const SELECT = COLUMNS.map(([, name]) => FROM_METHOD[name] ?? `r.${name}`).join(', ');

const TEXT = `WITH m AS (SELECT * FROM payment_methods WHERE tenant_id = $1 AND id = $4),
  e AS (SELECT * FROM payments WHERE tenant_id = $1 AND idempotency_key = $2),
  k AS (${keyClaimSql({ tenant: '$1', key: '$2', requestHash: '$3' })}),
  p AS (INSERT INTO payments SELECT ${SELECT}
          FROM json_populate_record(null::payments, $7::json) AS r, m
         WHERE m.customer_id = $5 AND m.status = 'active' AND m.provider_config_id = $6
           AND EXISTS (SELECT 1 FROM k) AND NOT EXISTS (SELECT 1 FROM e)
        RETURNING tenant_id, id, state),
  t AS (INSERT INTO payment_transitions (tenant_id, payment_id, seq, from_state, to_state, source, detail)
        SELECT tenant_id, id, 1, NULL, state, $8, $9::jsonb FROM p)
SELECT ${rowJsonSql(paymentMethods, 'm')} AS method, ${rowJsonSql(payments, 'e')} AS existing,
       EXISTS (SELECT 1 FROM k) AS claimed, EXISTS (SELECT 1 FROM p) AS inserted,
       ${heldKeySql('$1', '$2')} AS held`;

interface Raw {
  method: Record<string, unknown> | null;
  existing: Record<string, unknown> | null;
  claimed: boolean;
  inserted: boolean;
  held: unknown;
}

export async function claimAndRecord(raw: RawQuery, c: ClaimRequest): Promise<Claimed> {
  const s = new Statement();
  const row = Object.fromEntries(COLUMNS.map(([field, column]) => [column, c.row[field] ?? null]));
  s.param(c.tenantId);
  s.param(c.key);
  s.param(c.requestHash);
  s.param(isUuid(c.paymentMethodId) ? c.paymentMethodId : null);
  s.param(c.customerId);
  s.param(c.providerConfigId);
  s.param(JSON.stringify(row));
  s.param(c.source);
  s.param(JSON.stringify(c.detail));
  const [r] = await runStatement<Raw>(raw, TEXT, s);
  const method = r?.method ? (rowFromJson(paymentMethods, r.method) as PaymentMethodRow) : null;
  const inserted =
    r?.inserted && method
      ? { ...c.row, kind: method.kind, withMandate: method.kind === 'bank_account' && !method.mandateUsed }
      : null;
  return {
    claimed: r?.claimed ?? false,
    inserted,
    existing: r?.existing ? (rowFromJson(payments, r.existing) as PaymentRow) : null,
    method,
    held: r?.claimed ? null : heldKeyOf(r?.held),
  };
}
