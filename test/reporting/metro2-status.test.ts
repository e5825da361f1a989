import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldOf, TRAILER_LAYOUT } from '../../src/modules/reporting/domain/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from '../lending/fixtures.js';
import { jsonl, type Row, runReport } from './support.js';

// Metro 2's 93, 95, 96 and 62 from lending's servicing status (servicing-status/, migration 0018), end to end: the
// loans are placed in collection, repossessed, surrendered, paid, charged off and reinstated over HTTP, close of
// business records their month ends, and the report's Base Segments carry the status, the payment rating, the date
// of first delinquency and the history profile (K, J, G) at the CRRG's positions.
let t: TestApp;
let env: Awaited<ReturnType<typeof setup>>;
const loans: Record<string, string> = {};
let rows: Row[];

beforeAll(async () => {
  t = await startTestApp();
  env = await setup(t, '2024-01-15');
  const { call, programId } = env;
  const ok = async (r: Promise<{ statusCode: number; body: string }>, status = 201) => {
    const done = await r;
    expect(done.statusCode, done.body).toBe(status);
  };
  for (const [name, legal] of [
    ['collected', 'Ada Lovelace'],
    ['repossessed', 'Grace Hopper'],
    ['surrendered', 'Alan Turing'],
    ['paidInCollection', 'Edsger Dijkstra'],
    ['repossessedChargedOff', 'Barbara Liskov'],
    ['reinstated', 'Donald Knuth'],
  ]) {
    const c = await call('POST', '/v1/customers', {
      legal_name: legal,
      address: {
        lines: ['12 Elm Street'],
        city: 'Springfield',
        state: 'IL',
        postal_code: '62701',
        country: 'US',
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    loans[name!] = await activeLoan(call, programId, { principal: 600_000, customer_id: c.json().id });
  }
  // The 2024-02-15 installments go unpaid; on 2024-02-20 the servicer acts.
  await ok(call('POST', '/v1/close-of-business', { date: '2024-02-19' }), 200);
  for (const name of ['collected', 'repossessed', 'paidInCollection'])
    await ok(call('POST', `/v1/loans/${loans[name]}/collection-placements`, { agency: 'Acme Recovery' }));
  for (const name of ['repossessed', 'repossessedChargedOff', 'reinstated'])
    await ok(call('POST', `/v1/loans/${loans[name]}/repossessions`, {}));
  await ok(call('POST', `/v1/loans/${loans.surrendered}/surrenders`, {}));
  // February's month end is recorded as 2024-03-01 opens; on 2024-03-20 (34 days past due):
  await ok(call('POST', '/v1/close-of-business', { date: '2024-03-19' }), 200);
  await ok(call('POST', `/v1/loans/${loans.paidInCollection}/payments`, { payoff: true }));
  await ok(call('POST', `/v1/loans/${loans.paidInCollection}/collection-recalls`, {}));
  await ok(call('POST', `/v1/loans/${loans.repossessedChargedOff}/charge-off`, {}));
  await ok(call('POST', `/v1/loans/${loans.reinstated}/reinstatements`, {}));
  rows = jsonl(
    (
      await runReport(call, 'metro2_credit_reporting', {
        identification_number: 'PLNTH00001',
        reporter_name: 'Plinth Test Lender',
        reporter_address: '1 Main St, Springfield IL 62701',
      })
    ).download.body,
  );
}, 300_000);
afterAll(() => t.close());

// Base Segment positions (1-based, inclusive) as the CRRG prints them.
const at = (record: string, from: number, to: number) => record.slice(from - 1, to);
const accountOf = (id: string) =>
  BigInt(`0x${id.replaceAll('-', '')}`)
    .toString(36)
    .padStart(25, '0')
    .toUpperCase();
const baseOf = (name: string) => {
  const row = rows.find((x) => x.record_type === 'base' && x.account === accountOf(loans[name]!))!;
  return { record: String(row.record), status: row.account_status };
};
const history = (first: string) => `${first}0${'B'.repeat(22)}`;

describe('metro2_credit_reporting from the servicing status', () => {
  it('reports each loan by the CRRG’s precedence, at its positions', () => {
    expect(rows.map((x) => x.record_type)).toEqual(['header', ...Array(6).fill('base'), 'trailer']);
    for (const x of rows) expect(String(x.record)).toHaveLength(426);
    // name: [status 124-125, payment rating 126, history 127-150, date of first delinquency 190-197]
    const expected: Record<string, [string, string, string, string]> = {
      // 34 days past due, but placed in collection on 2024-02-20 (before it was 30 days late: that date frozen)
      collected: ['93', ' ', history('G'), '02202024'],
      // repossessed (and in collection): the repossession wins
      repossessed: ['96', ' ', history('K'), '02202024'],
      // a surrender carries its payment rating (1: 30-59 days past due)
      surrendered: ['95', '1', history('J'), '02202024'],
      // paid in full while in collection, recalled after: 62
      paidInCollection: ['62', ' ', history('G'), '02202024'],
      // repossessed, then its balance charged off: the charge-off wins
      repossessedChargedOff: ['97', ' ', history('K'), '02202024'],
      // reinstated: by its days past due again (71), the first delinquency 30 days after 2024-02-15
      reinstated: ['71', ' ', history('K'), '03162024'],
    };
    for (const [name, [status, rating, profile, dofd]] of Object.entries(expected)) {
      const { record: r, status: column } = baseOf(name);
      expect([name, at(r, 124, 125), at(r, 126, 126), at(r, 127, 150), at(r, 190, 197), column]).toEqual([
        name,
        status,
        rating,
        profile,
        dofd,
        status,
      ]);
    }
  });

  it('writes the amounts and dates each status needs', () => {
    const paid = baseOf('paidInCollection').record;
    expect(at(paid, 155, 163)).toBe('000000000'); // current balance
    expect(at(paid, 164, 172)).toBe('000000000'); // amount past due
    expect(at(paid, 198, 205)).toBe('03202024'); // date closed: the payoff
    const repo = baseOf('repossessed').record;
    expect(Number(at(repo, 155, 163))).toBeGreaterThan(5_000); // the balance is still owed
    expect(Number(at(repo, 164, 172))).toBeGreaterThan(0);
    expect(at(repo, 198, 205)).toBe('00000000'); // not closed
    const chargedOff = baseOf('repossessedChargedOff').record;
    expect(at(chargedOff, 164, 172)).toBe(at(chargedOff, 155, 163)); // all of it past due
    expect(Number(at(chargedOff, 173, 181))).toBeGreaterThan(5_000); // original charge-off amount
    // written off lending's books, still owed by the consumer: nothing recovered, so the whole charge-off
    expect(at(chargedOff, 155, 163)).toBe(at(chargedOff, 173, 181));
  });

  it('counts the statuses in the trailer', () => {
    const trailer = String(rows.at(-1)!.record);
    const count = (code: string) =>
      Number(fieldOf(trailer, TRAILER_LAYOUT.find((f) => f.key === `total_status_code_${code}`)!));
    expect(['62', '71', '93', '95', '96', '97'].map((c) => [c, count(c)])).toEqual(
      ['62', '71', '93', '95', '96', '97'].map((c) => [c, 1]),
    );
  });
});
