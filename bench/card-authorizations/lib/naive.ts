import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../../src/kernel/db.js';
import type { BatchItem, BatchResult, Decider } from '../../../src/modules/card-authorizations/index.js';

/**
 * The baseline the issue asks for: one transaction per authorization, reading the trackers with
 * SELECT … FOR UPDATE, deciding in the application, then UPDATE and the same inserts as the real engine.
 * Authorizations only: the benchmark sends nothing else.
 */
export class NaiveDecider implements Decider {
  constructor(private readonly db: Db) {}

  async apply(items: readonly BatchItem[]): Promise<BatchResult[]> {
    const out: BatchResult[] = [];
    for (const item of items) out.push(await this.#one(item));
    return out;
  }

  #one(i: BatchItem): Promise<BatchResult> {
    if (i.kind !== 'authorization') throw new Error('the naive baseline only decides authorizations');
    return this.db.transaction(async (tx) => {
      const [replayed] = await rows<{ approved: boolean; reason_code: string; approved_amount: string }>(
        tx,
        sql`SELECT approved, reason_code, approved_amount FROM card_authorization_messages
             WHERE tenant_id = ${i.tenant_id} AND provider = ${i.provider} AND message_id = ${i.message_id}`,
      );
      if (replayed)
        return result(true, replayed.approved, replayed.reason_code, Number(replayed.approved_amount), null);
      const decline = i.card_decline ?? i.lines_decline;
      let approved = false;
      let reason = decline ?? 'insufficient_credits';
      if (!decline) {
        const trackers = await rows<{ available: string; terminated: boolean }>(
          tx,
          sql`SELECT credits_limit - expensed_credits AS available, terminated FROM card_expense_trackers
               WHERE tenant_id = ${i.tenant_id} AND line_of_credit_id = ANY (${`{${i.lines.join(',')}}`}::uuid[])
               ORDER BY line_of_credit_id FOR UPDATE`,
        );
        approved =
          trackers.length === i.lines.length &&
          trackers.every((t) => !t.terminated && Number(t.available) >= i.amount);
        if (approved) {
          reason = 'approved';
          for (const line of i.lines)
            await tx.execute(sql`UPDATE card_expense_trackers SET expensed_credits = expensed_credits + ${i.amount}
                                  WHERE tenant_id = ${i.tenant_id} AND line_of_credit_id = ${line}`);
        }
      }
      const amount = approved ? i.amount : 0;
      await tx.execute(sql`
        INSERT INTO card_authorization_requests (tenant_id, id, provider, external_id, provider_config_id, card_id,
               owner_type, owner_ref, currency, status, decline_reason, amount_authorized, amount_held,
               expense_category_ids, merchant, metadata, expires_at)
        VALUES (${i.tenant_id}, ${i.new_request_id}, ${i.provider}, ${i.external_id}, ${i.provider_config_id},
                ${i.card_id}, ${i.owner_type}, ${i.owner_ref}, ${i.currency}, ${approved ? 'approved' : 'declined'},
                ${approved ? null : reason}, ${amount}, ${amount}, ${`{${(i.category_ids ?? []).join(',')}}`}::uuid[],
                ${JSON.stringify(i.merchant ?? {})}::jsonb, ${JSON.stringify(i.metadata ?? {})}::jsonb, ${i.expires_at})`);
      if (approved)
        for (const line of i.lines)
          await tx.execute(sql`INSERT INTO card_authorization_holds (tenant_id, request_id, line_of_credit_id, held, reserved)
                                VALUES (${i.tenant_id}, ${i.new_request_id}, ${line}, ${amount}, ${amount})`);
      await tx.execute(sql`
        INSERT INTO card_authorization_messages (tenant_id, id, provider, message_id, request_id, external_id,
               provider_config_id, kind, amount, currency, approved, reason_code, approved_amount, payload)
        VALUES (${i.tenant_id}, ${i.message_row_id}, ${i.provider}, ${i.message_id}, ${i.new_request_id},
                ${i.external_id}, ${i.provider_config_id}, ${i.kind}, ${i.amount}, ${i.currency}, ${approved},
                ${reason}, ${amount}, ${i.payload ?? '{}'}::jsonb)`);
      return result(false, approved, reason, amount, i.new_request_id);
    });
  }
}

const result = (
  replay: boolean,
  approved: boolean,
  reason: string,
  amount: number,
  requestId: string | null,
) =>
  ({ replay, approved, reasonCode: reason, approvedAmount: amount, requestId, funded: false }) as BatchResult;
