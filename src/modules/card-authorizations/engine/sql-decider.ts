import type { RawQuery } from '../../../kernel/db.js';
import { DECISION_REASONS, type DecisionReason } from '../domain/messages.js';
import type { Decider } from './group-commit.js';
import type { BatchItem, BatchResult } from './items.js';

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
