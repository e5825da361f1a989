import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/kernel/dates.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLease, fedLease, leaseTenant } from './lease-support.js';
import { closeThrough } from './line-of-credit-support.js';
import { mismatches } from './product-compare.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('smoke', () => {
  it('quotes the Fed example and services it', async () => {
    const { tenant, call, programId } = await leaseTenant(t);
    const q = await call('POST', `/v1/programs/${programId}/quotes`, fedLease);
    expect(q.statusCode).toBe(200);
    expect(q.json().base_payment).toBe(24469);
    expect(q.json().schedule[0]).toMatchObject({ rent_charge: 13139, depreciation: 11330, balance: 1868670 });
    const id = await activeLease(call, programId);
    const p = await call('POST', `/v1/loans/${id}/payments`, { amount: 24469 + 1468 });
    expect(p.statusCode).toBe(201);
    await closeThrough(call, '2024-03-01');
    const g = await call('GET', `/v1/loans/${id}`);
    const b = g.json();
    console.log(
      JSON.stringify(
        { sc: b.schedule.slice(0, 3), o: b.outstanding, bal: b.balances, d: b.delinquency, l: b.lease },
        null,
        1,
      ),
    );
    expect(
      await mismatches(t.ctx.database.db, tenant.id, 'lease', () => ({
        asOf: '2024-03-01' as CalendarDate,
        closeOfBusiness: true,
      })),
    ).toEqual([]);
  });
});
