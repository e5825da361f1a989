import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type CalendarDate } from '../../src/kernel/dates.js';
import { type AsOf, reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from './fixtures.js';

// Loan writes read without a lock and write one statement guarded by the loan's version and the business date
// (README: "How a write stays equal to the replay"). These race them against each other and against close of
// business: on PostgreSQL truly in parallel (a pool of connections), on PGlite interleaved statement by statement.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Call = Awaited<ReturnType<typeof setup>>['call'];
type Transaction = { id: string; type: string; amount?: number; business_date?: string };

const transactions = async (call: Call, id: string): Promise<Transaction[]> =>
  (await call('GET', `/v1/loans/${id}`)).json().transactions;

/** Every answer is a 201 or a 409 concurrent_update (the loan kept moving: the client retries), never a 5xx. */
function sortOut(answers: { statusCode: number; json(): { code?: string; id?: string } }[]) {
  const applied: string[] = [];
  let busy = 0;
  for (const r of answers) {
    if (r.statusCode === 201) applied.push(r.json().id!);
    else if (r.statusCode === 409 && r.json().code === 'concurrent_update') busy++;
    else throw new Error(`unexpected ${r.statusCode} ${JSON.stringify(r.json())}`);
  }
  return { applied, busy };
}

describe('concurrent writes to one loan', () => {
  it('apply every accepted payment exactly once; a refused one applies when retried with its key', async () => {
    const { tenant, call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    const amounts = Array.from({ length: 24 }, (_, k) => 1_000 + k);
    const pay = (k: number) =>
      call('POST', `/v1/loans/${id}/payments`, { amount: amounts[k] }, { 'idempotency-key': `c-${k}` });
    const first = sortOut(await Promise.all(amounts.map((_, k) => pay(k))));
    expect(first.applied.length).toBeGreaterThan(0);
    // A concurrent_update is not stored with the key: the retry runs (and applies) instead of replaying it.
    // One at a time: retried together they would race each other again.
    const retried = [];
    for (const k of amounts.keys()) retried.push((await pay(k)).statusCode);
    expect(retried).toEqual(amounts.map(() => 201));
    const payments = (await transactions(call, id)).filter((e) => e.type === 'payment');
    expect(payments.map((p) => p.amount).sort()).toEqual([...amounts].sort());
    expect(new Set(payments.map((p) => p.id)).size).toBe(amounts.length);
    for (const applied of first.applied) expect(payments.map((p) => p.id)).toContain(applied);
    expect(
      await reconcile(t.ctx.database.db, servicingOf, tenant.id, {
        asOf: '2024-01-15' as CalendarDate,
        closeOfBusiness: false,
      }),
    ).toEqual([]);
  });
});

describe('concurrent writes to many loans', () => {
  // Concurrent writes share one statement (LoanWriter's group commit). One key used twice in a batch makes that
  // statement fail: each write then runs alone, and only the key's second use is refused.
  it('each applies once to its own loan; a key used for two loans at once applies to one of them', async () => {
    const { tenant, call, programId } = await setup(t);
    const loans: string[] = [];
    for (let k = 0; k < 6; k++) loans.push(await activeLoan(call, programId, { principal: 700_000 + k }));
    const answers = await Promise.all([
      ...loans.map((l, k) => call('POST', `/v1/loans/${l}/payments`, { amount: 2_000 + k })),
      call('POST', `/v1/loans/${loans[0]}/payments`, { amount: 300 }, { 'idempotency-key': 'shared' }),
      call('POST', `/v1/loans/${loans[1]}/payments`, { amount: 300 }, { 'idempotency-key': 'shared' }),
    ]);
    const shared = answers.slice(-2).map((r) => r.statusCode);
    expect(shared.sort()).toEqual([201, 422]);
    const refused = answers.slice(-2).find((r) => r.statusCode === 422)!;
    expect(refused.json().code).toBe('idempotency_key_reused');
    sortOut(answers.slice(0, -2));
    const sharedPaid = answers.at(-2)!.statusCode === 201 ? loans[0] : loans[1];
    for (const [k, l] of loans.entries()) {
      const amounts = (await transactions(call, l)).filter((e) => e.type === 'payment').map((e) => e.amount);
      const own = answers[k]!.statusCode === 201 ? [2_000 + k] : [];
      expect(amounts.sort(), l).toEqual([...own, ...(l === sharedPaid ? [300] : [])].sort());
    }
    expect(
      await reconcile(t.ctx.database.db, servicingOf, tenant.id, {
        asOf: '2024-01-15' as CalendarDate,
        closeOfBusiness: false,
      }),
    ).toEqual([]);
  });
});

describe('writes racing close of business', () => {
  it('leave every loan equal to its replay: no day missed, nothing posted twice', async () => {
    const { tenant, call, programId } = await setup(t, '2024-02-01');
    const loans: string[] = [];
    for (let k = 0; k < 4; k++)
      loans.push(
        await activeLoan(call, programId, { disbursement_date: '2024-01-20', principal: 600_000 + k }),
      );
    const paid = new Map<string, number>(loans.map((l) => [l, 0]));
    let today = '2024-02-01' as CalendarDate;
    for (let day = 0; day < 4; day++) {
      // An approved loan disbursed while the day closes: it must be closed on its first day whichever side of
      // the day start the disbursement lands on.
      const created = await call('POST', '/v1/loans', {
        program_id: programId,
        principal: 900_000,
        disbursement_date: '2024-01-25',
      });
      const fresh = created.json().id as string;
      await call('POST', `/v1/loans/${fresh}/approve`, { effective_date: '2024-01-25' });
      const writes = [
        call('POST', `/v1/loans/${fresh}/disburse`),
        ...loans.flatMap((l, k) =>
          [0, 1, 2].map((n) => call('POST', `/v1/loans/${l}/payments`, { amount: 500 + 10 * k + n })),
        ),
      ];
      const [cob, ...answers] = await Promise.all([
        call('POST', '/v1/close-of-business', { date: today }),
        ...writes,
      ]);
      expect(cob!.statusCode).toBe(200);
      sortOut(answers);
      const [disbursed, ...payments] = answers;
      expect(disbursed!.statusCode).toBe(201);
      for (const [k, r] of payments.entries())
        if (r.statusCode === 201)
          paid.set(loans[Math.floor(k / 3)]!, paid.get(loans[Math.floor(k / 3)]!)! + 1);
      loans.push(fresh);
      paid.set(fresh, 0);
      // A loan written after the day start equals the open next day's replay, the others the closed day's.
      const next = addDays(today, 1);
      const at = async (): Promise<Map<string, AsOf>> => {
        const m = new Map<string, AsOf>();
        for (const l of loans) {
          const late = (await transactions(call, l)).some((e) => e.business_date === next);
          m.set(l, late ? { asOf: next, closeOfBusiness: false } : { asOf: today, closeOfBusiness: true });
        }
        return m;
      };
      const asOf = await at();
      expect(await reconcile(t.ctx.database.db, servicingOf, tenant.id, (l) => asOf.get(l)!, loans)).toEqual(
        [],
      );
      today = next;
    }
    // Nothing lost: every accepted payment is there once.
    for (const l of loans) {
      const payments = (await transactions(call, l)).filter((e) => e.type === 'payment');
      expect(payments.length, l).toBe(paid.get(l));
    }
    // And the next day, closed with nothing racing it, still equals the replay.
    expect((await call('POST', '/v1/close-of-business', { date: today })).statusCode).toBe(200);
    expect(
      await reconcile(
        t.ctx.database.db,
        servicingOf,
        tenant.id,
        { asOf: today, closeOfBusiness: true },
        loans,
      ),
    ).toEqual([]);
  });
});
