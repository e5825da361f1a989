import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/kernel/dates.js';
import type { Session } from '../../src/kernel/db.js';
import { Statement } from '../../src/kernel/statement.js';
import type { LoanProjection } from '../../src/modules/lending/product.js';
import { readText } from '../../src/modules/lending/servicing/read.js';
import { guardSql, type LoanWrite } from '../../src/modules/lending/servicing/write.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The loan read and the loan write run as prepared statements whose generic plans serve every batch, of 1 loan or
 * 32, planned for the json recordset's assumed 100 rows. Each must reach `loans` by every item's key: a join the
 * planner turns into a hash over a scan of the table (the read's was, until it looked loans up one by one) costs
 * every request as much as the portfolio is large, and a write would lock its loans in the table's order instead
 * of the batch's (tenant, loan).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** The generic plan of `text` (one json parameter) run with `json`, on the session `db`. */
async function genericPlan(db: Session, text: string, json: string): Promise<string> {
  await db.exec(`SET plan_cache_mode = force_generic_plan`);
  await db.exec(`PREPARE plan_under_test(json) AS ${text}`);
  try {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN EXECUTE plan_under_test('${json.replaceAll("'", "''")}')`,
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await db.exec(`DEALLOCATE plan_under_test; RESET plan_cache_mode`);
  }
}

it("the loan read's generic plan looks each loan up by its key, never scanning the loans", async () => {
  const request = { k: 0, tenant: crypto.randomUUID(), loan: crypto.randomUUID(), key: null };
  const plan = await t.ctx.database.session((db) => genericPlan(db, readText([]), JSON.stringify([request])));
  // Which index (the key, or another that holds tenant_id and id) is the planner's choice on the statistics it has.
  expect(plan).toMatch(
    /Index (Only )?Scan using \w+ on loans .*\n\s+Index Cond: \(\(tenant_id = r\.tenant\) AND \(id = r\.loan\)\)/,
  );
  expect(plan).not.toMatch(/Seq Scan on loans/);
});

it("the loan write's generic plan probes the loans by key in the batch's order, never hashing a scan of them", async () => {
  const write = {
    tenantId: crypto.randomUUID(),
    loanId: crypto.randomUUID(),
    version: 1,
    businessDate: '2024-01-15' as CalendarDate,
    activates: false,
    projection: { status: 'active', cobActive: true } as LoanProjection,
    checkpoint: { balances: {}, through: 0 },
    lastSequence: 1,
    updatedAt: new Date(),
  } as LoanWrite;
  const s = new Statement();
  const guard = guardSql(s, [write]);
  const plan = await t.ctx.database.session(async (db) => {
    // A small lender's portfolio, analyzed: the size at which a join of the batch to `loans` is planned as a hash of
    // the table (at none, any plan is cheap). Bare rows: no tenant or program behind them, foreign keys unchecked.
    await db.exec(`SET session_replication_role = replica;
      INSERT INTO loans (tenant_id, id, program_id, product, currency, status, amount, terms, start_date, rate_num,
                         rate_den, rounding_mode, delinquency_buckets)
      SELECT '${write.tenantId}', gen_random_uuid(), gen_random_uuid(), 'installment_loan', 'USD', 'active', 100000,
             '{}', '2024-01-15', 12, 100, 'half_even', '{30,60,90}'
        FROM generate_series(1, 3000);
      RESET session_replication_role;
      ANALYZE loans`);
    return genericPlan(db, `WITH ${guard} SELECT k FROM guard`, String(s.values[0]));
  });
  // The batch drives the loop (its rows in order), each probing `loans` through an index.
  expect(plan).toMatch(
    /Nested Loop[^\n]*\n(\s+Join Filter[^\n]*\n)?\s+->\s+Function Scan on json_to_recordset v/,
  );
  expect(plan).toMatch(/Index (Only )?Scan using \w+ on loans t /);
  expect(plan).not.toMatch(/Seq Scan on loans|Hash Join/);
});
