import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/kernel/audit.js';
import { parseDate } from '../../src/kernel/dates.js';
import {
  CloseOfBusinessService,
  closeOfBusinessSteps,
  reconcile,
  servicingOf,
} from '../../src/modules/lending/index.js';
import type { CobStep } from '../../src/modules/lending/product.js';
import { writeAudit } from '../../src/modules/tenancy/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from './fixtures.js';

// Close of business through the job queue (pg-boss, worked in this process), idempotent per date, and resumable
// after a batch dies half way.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ jobs: true });
});
afterAll(() => t.close());

const closed = (tenantId: string, day: string) =>
  reconcile(t.ctx.database.db, servicingOf, tenantId, { asOf: parseDate(day), closeOfBusiness: true });

async function waitClosed(call: Awaited<ReturnType<typeof setup>>['call'], day: string) {
  for (let k = 0; k < 600; k++) {
    const r = (await call('GET', `/v1/close-of-business?to=${day}&limit=1`)).json();
    if (r.business_date > day && r.data[0]?.business_date === day && r.data[0].status === 'completed')
      return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${day} was not closed`);
}

describe('close of business runs', () => {
  it('once close of business has run, the business date is its alone; a date it never closed is a 409', async () => {
    const { call } = await setup(t);
    // setup() set the business date to 2024-01-15 and made no loan: close of business runs over no loans.
    const r = await call('POST', '/v1/close-of-business', { date: '2024-01-15' });
    expect([200, 202]).toContain(r.statusCode);
    await waitClosed(call, '2024-01-15');
    // The tenant has no loans (the old guard let it move the date): back and forward are both refused now.
    for (const business_date of ['2024-01-01', '2024-03-01']) {
      const moved = await call('PUT', '/v1/business-date', { business_date });
      expect(moved.statusCode).toBe(409);
      expect(moved.json()).toMatchObject({
        code: 'business_date_closed',
        errors: [{ path: 'business_date' }],
      });
    }
    // A day before the first run was never closed: asking for it is a 409, not a 200 for work not done.
    const passed = await call('POST', '/v1/close-of-business', { date: '2024-01-10' });
    expect(passed.statusCode).toBe(409);
    expect(passed.json()).toMatchObject({ code: 'date_not_closed', errors: [{ path: 'date' }] });
    // One request closes at most PLINTH_COB_MAX_DAYS (366) days: a mistyped year is refused whole, nothing queued.
    const far = await call('POST', '/v1/close-of-business', { date: '2124-01-16' });
    expect(far.statusCode).toBe(422);
    expect(far.json()).toMatchObject({ code: 'too_many_days', errors: [{ path: 'date' }] });
    const runs = (await call('GET', '/v1/close-of-business?limit=100')).json();
    expect(runs.business_date).toBe('2024-01-16');
    expect(runs.data).toHaveLength(1);
  });

  it('goes through the queue day by day, and a closed date is a no-op', async () => {
    const { tenant, call, programId } = await setup(t);
    for (let k = 0; k < 3; k++) await activeLoan(call, programId, { principal: 500_000 + k * 1000 });
    const r = await call('POST', '/v1/close-of-business', { date: '2024-02-20' });
    expect([200, 202]).toContain(r.statusCode);
    expect(r.json().runs[0]).toMatchObject({ business_date: '2024-01-15', through_date: '2024-02-20' });
    const done = await waitClosed(call, '2024-02-20');
    expect(done.business_date).toBe('2024-02-21');
    const runs = (await call('GET', '/v1/close-of-business?limit=100')).json().data;
    expect(runs).toHaveLength(37);
    expect(runs[0]).toMatchObject({
      business_date: '2024-02-20',
      status: 'completed',
      loans: { total: 3, done: 3 },
    });
    expect(await closed(tenant.id, '2024-02-20')).toEqual([]);

    const before = (await call('GET', `/v1/loans?limit=10`)).json().data;
    const again = await call('POST', '/v1/close-of-business', { date: '2024-02-10' });
    expect(again.statusCode).toBe(200);
    expect(again.json().runs).toEqual([
      expect.objectContaining({ business_date: '2024-02-10', status: 'completed' }),
    ]);
    expect((await call('GET', `/v1/loans?limit=10`)).json().data).toEqual(before);
  });

  it('resumes after a batch dies: the batches done stay done, the rest run once', async () => {
    const { tenant, call, programId } = await setup(t);
    for (let k = 0; k < 5; k++) await activeLoan(call, programId, { principal: 700_000 + k * 1000 });
    let failures = 0;
    const crash: CobStep = {
      name: 'crash',
      run: async () => {
        if (failures++ === 1) throw new Error('worker died');
        return 0;
      },
    };
    const service = (steps: () => CobStep[]) =>
      new CloseOfBusinessService({
        db: t.ctx.database.db,
        logger: t.ctx.logger,
        audit: writeAudit,
        businessDates: t.ctx.lending.businessDates,
        maxDays: 366,
        steps,
        batchSize: 2,
      });
    const scope = { tenantId: tenant.id, actor: SYSTEM_ACTOR };
    const day = parseDate('2024-01-15');
    await expect(service(() => [...closeOfBusinessSteps(), crash]).request(scope, day)).rejects.toThrow(
      'worker died',
    );
    const [failed] = await service(closeOfBusinessSteps).runs(scope, { limit: 1 });
    expect(failed).toMatchObject({ status: 'failed', batchesTotal: 3, batchesDone: 1 });
    expect(failed!.error).toContain('worker died');

    const resumed = await service(closeOfBusinessSteps).request(scope, day);
    if (!resumed.ok) throw new Error(resumed.error.message);
    expect(resumed.value[0]).toMatchObject({ status: 'completed', batchesDone: 3, loansDone: 5 });
    expect(await closed(tenant.id, '2024-01-15')).toEqual([]);
  });

  it("completes a day only with the next date's loan positions, and records them once resumed", async () => {
    const { tenant, call, programId } = await setup(t);
    await activeLoan(call, programId, { principal: 400_000 });
    const positions = t.ctx.lending.reports.positions;
    let failing = true;
    const service = new CloseOfBusinessService({
      db: t.ctx.database.db,
      logger: t.ctx.logger,
      audit: writeAudit,
      businessDates: t.ctx.lending.businessDates,
      maxDays: 366,
      steps: closeOfBusinessSteps,
      batchSize: 2,
      positions: {
        record: async (tenantId, asOf, db) => {
          // The statement runs, then the process "dies" before the day's completion commits.
          await positions.record(tenantId, asOf, db);
          if (failing) throw new Error('died before the commit');
        },
      },
    });
    const scope = { tenantId: tenant.id, actor: SYSTEM_ACTOR };
    const day = parseDate('2024-01-15');
    await expect(service.request(scope, day)).rejects.toThrow('died before the commit');
    const [unfinished] = await service.runs(scope, { limit: 1 });
    expect(unfinished).toMatchObject({ status: 'running', batchesDone: 1 });
    expect(await positions.recorded(tenant.id, parseDate('2024-01-16'))).toBe(false);

    failing = false;
    const resumed = await service.request(scope, day);
    if (!resumed.ok) throw new Error(resumed.error.message);
    expect(resumed.value[0]).toMatchObject({ status: 'completed' });
    expect(await positions.recorded(tenant.id, parseDate('2024-01-16'))).toBe(true);
  });
});
