import { afterAll, beforeAll, expect, it } from 'vitest';
import { readText } from '../../src/modules/lending/servicing/read.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The loan read runs as a prepared statement whose generic plan serves every batch, of 1 loan or 32. That plan
 * must look each loan up by its key: a join the planner may turn into a hash of the whole `loans` table (it did,
 * for the recordset's assumed 100 rows) makes every read cost as much as the portfolio is large.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

it("the loan read's generic plan looks each loan up by its key, never scanning the loans", async () => {
  const plan = await t.ctx.database.session(async (s) => {
    await s.exec(`SET plan_cache_mode = force_generic_plan`);
    await s.exec(`PREPARE loan_read_plan(json) AS ${readText([])}`);
    try {
      const { rows } = await s.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN EXECUTE loan_read_plan('[{"k":0,"tenant":"${crypto.randomUUID()}","loan":"${crypto.randomUUID()}","key":null}]')`,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await s.exec(`DEALLOCATE loan_read_plan; RESET plan_cache_mode`);
    }
  });
  // Which index (the key, or another that holds tenant_id and id) is the planner's choice on the statistics it has.
  expect(plan).toMatch(
    /Index (Only )?Scan using \w+ on loans .*\n\s+Index Cond: \(\(tenant_id = r\.tenant\) AND \(id = r\.loan\)\)/,
  );
  expect(plan).not.toMatch(/Seq Scan on loans/);
});
