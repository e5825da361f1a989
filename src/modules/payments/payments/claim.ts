import { getTableColumns } from 'drizzle-orm';
import { Batcher } from '../../../kernel/batcher.js';
import { type RawQuery, rowFromJson, rowJsonSql } from '../../../kernel/db.js';
import { type HeldKey, heldKeyOf, heldKeySql, keyClaimSql } from '../../../kernel/idempotency.js';
import { isUuid } from '../../../kernel/ids.js';
import {
  type Column,
  recordsetJson,
  recordsetSql,
  runStatement,
  Statement,
} from '../../../kernel/statement.js';
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
 * refusal, is completed with it); the statement that finalizes the payment completes the key. Concurrent claims
 * share the statement (`Claims`).
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

/** The claims of one statement, each tagged with its index `k` in the batch. */
const CLAIMS: Column<ClaimRequest>[] = [
  ['k', 'int', (_, k) => k],
  ['tenant', 'uuid', (c) => c.tenantId],
  ['key', 'text', (c) => c.key],
  ['request_hash', 'text', (c) => c.requestHash],
  ['method', 'uuid', (c) => (isUuid(c.paymentMethodId) ? c.paymentMethodId : null)],
  ['customer', 'uuid', (c) => c.customerId],
  ['config', 'uuid', (c) => c.providerConfigId],
  ['payment', 'uuid', (c) => c.row.id],
  [
    'row',
    'json',
    (c) => Object.fromEntries(COLUMNS.map(([field, column]) => [column, c.row[field] ?? null])),
  ],
  ['source', 'text', (c) => c.source],
  ['detail', 'jsonb', (c) => c.detail],
];

// Each claim's method and payment are looked up by their keys, claim by claim (OFFSET 0 keeps each lookup a
// subquery of its own): joined as tables, a generic plan for the recordset's assumed 100 rows hash-joins whole
// tables, which costs more as they grow than a batch ever saves.
const TEXT = `WITH c AS (SELECT * FROM ${recordsetSql('$1::json', 'c', CLAIMS)}),
  m AS (SELECT c.k, pm.* FROM c CROSS JOIN LATERAL
          (SELECT * FROM payment_methods WHERE tenant_id = c.tenant AND id = c.method OFFSET 0) AS pm),
  e AS (SELECT c.k, x.* FROM c CROSS JOIN LATERAL
          (SELECT * FROM payments WHERE tenant_id = c.tenant AND idempotency_key = c.key OFFSET 0) AS x),
  kc AS (${keyClaimSql('c', { tenant: 'c.tenant', key: 'c.key', requestHash: 'c.request_hash' })}),
  p AS (INSERT INTO payments SELECT ${SELECT}
          FROM c JOIN m ON m.k = c.k CROSS JOIN LATERAL json_populate_record(null::payments, c.row) AS r
         WHERE m.customer_id = c.customer AND m.status = 'active' AND m.provider_config_id = c.config
           AND EXISTS (SELECT 1 FROM kc WHERE kc.tenant_id = c.tenant AND kc.key = c.key)
           AND NOT EXISTS (SELECT 1 FROM e WHERE e.k = c.k)
        RETURNING tenant_id, id, state),
  t AS (INSERT INTO payment_transitions (tenant_id, payment_id, seq, from_state, to_state, source, detail)
        SELECT p.tenant_id, p.id, 1, NULL, p.state, c.source, c.detail
          FROM p JOIN c ON c.tenant = p.tenant_id AND c.payment = p.id)
SELECT c.k, ${rowJsonSql(paymentMethods, 'm WHERE m.k = c.k')} AS method,
       ${rowJsonSql(payments, 'e WHERE e.k = c.k')} AS existing,
       EXISTS (SELECT 1 FROM kc WHERE kc.tenant_id = c.tenant AND kc.key = c.key) AS claimed,
       EXISTS (SELECT 1 FROM p WHERE p.tenant_id = c.tenant AND p.id = c.payment) AS inserted,
       ${heldKeySql('c.tenant', 'c.key')} AS held
  FROM c`;

interface Raw {
  k: number;
  method: Record<string, unknown> | null;
  existing: Record<string, unknown> | null;
  claimed: boolean;
  inserted: boolean;
  held: unknown;
}

/**
 * Claims in flight share statements (group commit, kernel/batcher.ts, as the loan reads and writes do): the
 * claims waiting while others run go as one statement with one commit. Each is still decided alone, from its own
 * rows; two claims of one key never share a statement (the later waits for the next, and finds the key held).
 */
export class Claims {
  readonly #batches: Batcher<ClaimRequest, Claimed>;

  constructor(raw: RawQuery) {
    this.#batches = new Batcher((claims) => claimAll(raw, claims), {
      maxBatch: 32,
      maxInFlight: 2,
      key: (c) => `${c.tenantId} ${c.key}`,
    });
  }

  claimAndRecord(c: ClaimRequest): Promise<Claimed> {
    return this.#batches.submit(c).result;
  }
}

async function claimAll(raw: RawQuery, claims: readonly ClaimRequest[]): Promise<Claimed[]> {
  const s = new Statement();
  s.param(recordsetJson(claims, CLAIMS));
  const found = await runStatement<Raw>(raw, TEXT, s);
  const byK = new Map(found.map((r) => [r.k, r]));
  return claims.map((c, k) => claimedOf(c, byK.get(k)));
}

function claimedOf(c: ClaimRequest, r: Raw | undefined): Claimed {
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
