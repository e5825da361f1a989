import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, parseDate } from '../../src/kernel/dates.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

// POST /v1/calculations/apr against the Regulation Z Appendix J examples (shared/reference/README.md).

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await startTestApp();
  key = (await t.tenant()).key;
});
afterAll(() => t.close());

const monthly = (first: string, amounts: number[]) =>
  amounts.map((amount, k) => ({ amount, date: addMonths(parseDate(first), k) }));

const apr = (body: unknown) => t.call('POST', '/v1/calculations/apr', { key, body });

describe('APR calculation', () => {
  it('reproduces the Appendix J examples to two decimals', async () => {
    const cases: [unknown, string, string][] = [
      [
        {
          advances: [{ amount: 500_000, date: '1978-01-10' }],
          payments: monthly('1978-02-10', Array(24).fill(23_000)),
        },
        '9.69',
        'monthly',
      ],
      [
        {
          advances: [{ amount: 1_000_000, date: '1978-05-23' }],
          payments: Array.from({ length: 40 }, (_, k) => ({
            amount: 38_500,
            date: addMonths(parseDate('1978-10-01'), 3 * k),
          })),
        },
        '8.97',
        'quarterly',
      ],
      [
        {
          advances: [{ amount: 500_000, date: '1978-01-10' }],
          payments: monthly('1978-02-10', [...Array(23).fill(23_000), 28_000]),
        },
        '10.50',
        'monthly',
      ],
      [
        {
          advances: [{ amount: 100_000, date: '1978-01-03' }],
          payments: [{ amount: 108_000, date: '1978-09-15' }],
        },
        '11.45',
        expect.any(String) as never,
      ],
    ];
    for (const [body, want, unit] of cases) {
      const r = await apr(body);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ apr: want, unit_period: unit });
    }
  });

  it('accepts payments of zero (unit-periods with no payment) and refuses a schedule with nothing paid', async () => {
    const paid = monthly('2024-04-15', Array(10).fill(106_000));
    const advances = [{ amount: 1_000_000, date: '2024-01-15' }];
    const withZeros = await apr({ advances, payments: [...monthly('2024-02-15', [0, 0]), ...paid] });
    expect(withZeros.statusCode).toBe(200);
    expect(withZeros.json()).toEqual((await apr({ advances, payments: paid })).json());
    const nothing = await apr({ advances, payments: monthly('2024-02-15', [0, 0]) });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json().errors.map((e: { path: string }) => e.path)).toEqual(['payments']);
  });

  it('names the field of bad input', async () => {
    const r = await apr({ advances: [{ amount: 0, date: '2024-01-01' }], payments: [] });
    expect(r.statusCode).toBe(400);
    const paths = r.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['advances.0.amount', 'payments']));
  });
});
