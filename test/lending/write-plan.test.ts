import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/kernel/dates.js';
import { Statement } from '../../src/kernel/statement.js';
import type { LoanProjection } from '../../src/modules/lending/product.js';
import { guardSql, type LoanWrite } from '../../src/modules/lending/servicing/write.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The loan write's guard runs in a prepared statement whose generic plan serves every batch, of 1 write or 32. It
 * must probe `loans` by each write's key, in the batch's order (the order its locks are taken in): a hash join over
 * a scan of the table, which the loan read's plan was until it looked each loan up by key, would cost every write
 * as much as the portfolio is large and lock the loans in the table's order instead of (tenant, loan).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** A write as far as the guard reads it. */
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

it("the loan write's generic plan probes the loans by key in the batch's order, never hashing a scan of them", async () => {
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
    await db.exec(`SET plan_cache_mode = force_generic_plan`);
    await db.exec(`PREPARE loan_write_plan(json) AS WITH ${guard} SELECT k FROM guard`);
    try {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN EXECUTE loan_write_plan('${String(s.values[0]).replaceAll("'", "''")}')`,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.exec(`DEALLOCATE loan_write_plan; RESET plan_cache_mode`);
    }
  });
  // The batch drives the loop (its rows in order), each probing `loans` through an index.
  expect(plan).toMatch(
    /Nested Loop[^\n]*\n(\s+Join Filter[^\n]*\n)?\s+->\s+Function Scan on json_to_recordset v/,
  );
  expect(plan).toMatch(/Index (Only )?Scan using \w+ on loans t /);
  expect(plan).not.toMatch(/Seq Scan on loans|Hash Join/);
});
