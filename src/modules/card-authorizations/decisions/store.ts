import { and, asc, eq, gt, isNull, lte, type SQL } from 'drizzle-orm';
import type { Db, RawQuery } from '../../../kernel/db.js';
import { DECISION_REASONS, type DecisionReason } from '../domain/messages.js';
import type { CardOwner } from '../domain/resolvers.js';
import { authorizationRequests, cards, expenseCategories, linesOfCredit } from '../tables.js';
import type { Decider } from './group-commit.js';
import type { BatchItem, BatchResult } from './items.js';

// The decision path's queries: what the directory loads into its caches, the batch function that decides, and
// the holds the expiry releases.

interface Row {
  item_seq: number;
  is_replay: boolean;
  is_approved: boolean;
  reason: string;
  granted: string | number | bigint;
  request: string | null;
  funded: boolean;
}

const REASONS: ReadonlySet<string> = new Set(DECISION_REASONS);

/**
 * The production decider: one `card_apply_batch` call per batch. Sent as a single autocommit statement, the
 * whole batch is one round trip and one commit. The call is a named prepared statement and the function's own
 * statements keep their generic plans (card_apply_batch.sql): a batch plans nothing.
 */
export class SqlDecider implements Decider {
  constructor(private readonly db: RawQuery) {}

  async apply(items: readonly BatchItem[]): Promise<BatchResult[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT * FROM card_apply_batch($1::jsonb)',
      [JSON.stringify(items)],
      'plinth_card_apply_batch',
    );
    const results: BatchResult[] = new Array(items.length);
    const funded = rows.some((r) => r.funded);
    for (const r of rows) {
      if (r.item_seq < 0) continue;
      if (results[r.item_seq])
        throw new Error(`card_apply_batch returned two results for item ${r.item_seq}`);
      results[r.item_seq] = {
        replay: r.is_replay,
        approved: r.is_approved,
        reasonCode: (REASONS.has(r.reason) ? r.reason : 'invalid_request') as DecisionReason,
        approvedAmount: Number(r.granted),
        requestId: r.request,
        funded,
      };
    }
    for (let i = 0; i < items.length; i++)
      if (!results[i]) throw new Error(`card_apply_batch returned no result for item ${i}`);
    return results;
  }
}

export interface CategoryEntry {
  id: string;
  code: string;
  terminated: boolean;
}

export interface LineEntry {
  id: string;
  categoryId: string;
  ownerType: string;
  ownerRef: string;
  currency: string;
}

const lineColumns = {
  id: linesOfCredit.id,
  categoryId: linesOfCredit.expenseCategoryId,
  ownerType: linesOfCredit.ownerType,
  ownerRef: linesOfCredit.ownerRef,
  currency: linesOfCredit.currency,
};
const openLines = (tenantId: string, ...conditions: SQL[]) =>
  and(eq(linesOfCredit.tenantId, tenantId), isNull(linesOfCredit.terminatedAt), ...conditions);

export async function loadCardOwner(db: Db, tenantId: string, cardId: string): Promise<CardOwner | null> {
  const [row] = await db
    .select({ ownerType: cards.ownerType, ownerRef: cards.ownerRef, status: cards.status })
    .from(cards)
    .where(and(eq(cards.tenantId, tenantId), eq(cards.cardId, cardId)));
  return row ? { ...row, status: row.status as CardOwner['status'] } : null;
}

/** Every category of the tenant, by code. */
export async function loadCategories(db: Db, tenantId: string): Promise<Map<string, CategoryEntry>> {
  const rows = await db
    .select({
      id: expenseCategories.id,
      code: expenseCategories.code,
      terminatedAt: expenseCategories.terminatedAt,
    })
    .from(expenseCategories)
    .where(eq(expenseCategories.tenantId, tenantId));
  return new Map(rows.map((r) => [r.code, { id: r.id, code: r.code, terminated: !!r.terminatedAt }]));
}

export async function loadOwnerLines(
  db: Db,
  tenantId: string,
  ownerType: string,
  ownerRef: string,
): Promise<LineEntry[]> {
  return db
    .select(lineColumns)
    .from(linesOfCredit)
    .where(openLines(tenantId, eq(linesOfCredit.ownerType, ownerType), eq(linesOfCredit.ownerRef, ownerRef)));
}

export async function loadOpenLine(db: Db, tenantId: string, lineId: string): Promise<LineEntry | null> {
  const [row] = await db
    .select(lineColumns)
    .from(linesOfCredit)
    .where(openLines(tenantId, eq(linesOfCredit.id, lineId)));
  return row ?? null;
}

/** A request whose hold outlived its `expires_at`. */
export interface ExpiredHold {
  tenantId: string;
  id: string;
  provider: string;
  providerConfigId: string | null;
  externalId: string;
  currency: string;
  cardId: string;
  ownerType: string | null;
  ownerRef: string | null;
  amountAuthorized: number;
}

/** Requests still holding credits past their expiry (of one tenant, or all), oldest expiry first. */
export async function expiredHolds(
  db: Db,
  opts: { tenantId?: string; asOf: Date; limit: number },
): Promise<ExpiredHold[]> {
  const r = authorizationRequests;
  return db
    .select({
      tenantId: r.tenantId,
      id: r.id,
      provider: r.provider,
      providerConfigId: r.providerConfigId,
      externalId: r.externalId,
      currency: r.currency,
      cardId: r.cardId,
      ownerType: r.ownerType,
      ownerRef: r.ownerRef,
      amountAuthorized: r.amountAuthorized,
    })
    .from(r)
    .where(
      and(
        gt(r.amountHeld, 0),
        lte(r.expiresAt, opts.asOf),
        opts.tenantId ? eq(r.tenantId, opts.tenantId) : undefined,
      ),
    )
    .orderBy(asc(r.expiresAt))
    .limit(opts.limit);
}
