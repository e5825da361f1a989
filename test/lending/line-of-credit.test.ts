import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/kernel/dates.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { closeThrough, lineTenant, openLine } from './line-of-credit-support.js';
import { mismatches } from './product-compare.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('smoke', () => {
  it('opens, draws, closes a cycle', async () => {
    const { tenant, call, programId } = await lineTenant(t);
    const id = await openLine(call, programId);
    const d = await call('POST', `/v1/loans/${id}/draws`, { amount: 100_000 });
    expect(d.statusCode).toBe(201);
    await closeThrough(call, '2024-02-20');
    const g = await call('GET', `/v1/loans/${id}`);
    const b = g.json();
    console.log(JSON.stringify({ s: b.statements, l: b.line, st: b.status }, null, 1));
    expect(
      await mismatches(t.ctx.database.db, tenant.id, 'line_of_credit', () => ({
        asOf: '2024-02-20' as CalendarDate,
        closeOfBusiness: true,
      })),
    ).toEqual([]);
  });
});
