import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../../kernel/dates.js';
import { renderSvg } from '../chart/svg.js';
import { AgingAccumulator, agingBuckets, bucketOf, ParAccumulator } from './aging.js';
import { agingChart, rollRateChart, vintageChart } from './charts.js';
import { RollAccumulator, rollRates, type SnapshotPosition } from './roll-rates.js';
import { prepayments, vintageCurves } from './vintage.js';

const d = parseDate;

describe('aging buckets', () => {
  it("use lending's labels and edges", () => {
    const buckets = agingBuckets();
    expect(buckets.map((b) => b.label)).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '121+']);
    const label = (dpd: number) => bucketOf(dpd, buckets).label;
    expect([0, 1, 30, 31, 60, 61, 90, 91, 120, 121, 999].map(label)).toEqual([
      'current',
      '1-30',
      '1-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '91-120',
      '91-120',
      '121+',
      '121+',
    ]);
    expect(() => agingBuckets([30, 20])).toThrow(RangeError);
  });

  it('total what goes in, bucket by bucket and overall', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            daysPastDue: fc.integer({ min: 0, max: 400 }),
            principal: fc.integer({ min: 0, max: 1e9 }),
            pastDue: fc.integer({ min: 0, max: 1e7 }),
            balance: fc.integer({ min: 0, max: 1e9 }),
          }),
        ),
        (positions) => {
          const aging = new AgingAccumulator();
          for (const p of positions) aging.add(p);
          const rows = aging.rows();
          const sum = (k: 'loans' | 'principal' | 'pastDue' | 'balance') =>
            rows.reduce((a, r) => a + r[k], 0);
          expect(sum('loans')).toBe(positions.length);
          expect(sum('principal')).toBe(positions.reduce((a, p) => a + p.principal, 0));
          expect(sum('pastDue')).toBe(positions.reduce((a, p) => a + p.pastDue, 0));
          expect(aging.totals().balance).toBe(sum('balance'));
        },
      ),
    );
  });
});

describe('portfolio at risk', () => {
  it('counts the whole principal of loans more than N days past due', () => {
    const par = new ParAccumulator();
    for (const [dpd, principal] of [
      [0, 5_000],
      [30, 1_000],
      [31, 2_000],
      [61, 3_000],
      [91, 4_000],
      [90, 500],
    ] as const)
      par.add({ daysPastDue: dpd, principal });
    expect(par.rows()).toEqual([
      {
        label: 'PAR30',
        threshold: 30,
        loans: 4,
        principalAtRisk: 9_500,
        totalPrincipal: 15_500,
        ratio: '0.612903',
      },
      {
        label: 'PAR60',
        threshold: 60,
        loans: 3,
        principalAtRisk: 7_500,
        totalPrincipal: 15_500,
        ratio: '0.483871',
      },
      {
        label: 'PAR90',
        threshold: 90,
        loans: 1,
        principalAtRisk: 4_000,
        totalPrincipal: 15_500,
        ratio: '0.258065',
      },
    ]);
    expect(new ParAccumulator().rows()[0]!.ratio).toBe('0.000000');
  });
});

describe('roll rates', () => {
  const p = (
    loanId: string,
    daysPastDue: number,
    balance: number,
    status: SnapshotPosition['status'] = 'active',
  ) => ({ loanId, status, daysPastDue, balance });
  const before = [
    p('a', 0, 100),
    p('b', 0, 300),
    p('c', 15, 200),
    p('d', 45, 400),
    p('e', 95, 500),
    p('f', 0, 50, 'paid_off'),
  ];
  const after = [
    p('a', 0, 90),
    p('b', 40, 300),
    p('c', 0, 0, 'paid_off'),
    p('d', 75, 400),
    p('e', 125, 0, 'charged_off'),
    p('g', 0, 1_000),
  ];
  const matrix = rollRates(before, after);
  const cell = (from: string, to: string) => matrix.cells.find((c) => c.from === from && c.to === to)!;

  it('moves each active loan from its bucket then to its state now', () => {
    expect(cell('current', 'current')).toMatchObject({
      loans: 1,
      balance: 100,
      countRate: '0.500000',
      balanceRate: '0.250000',
    });
    expect(cell('current', '31-60')).toMatchObject({ loans: 1, balance: 300, balanceRate: '0.750000' });
    expect(cell('1-30', 'paid_off')).toMatchObject({ loans: 1, countRate: '1.000000' });
    expect(cell('31-60', '61-90').loans).toBe(1);
    expect(cell('91-120', 'charged_off').loans).toBe(1);
    expect(matrix.newLoans).toBe(1);
    expect(matrix.cells.reduce((a, c) => a + c.loans, 0)).toBe(5);
  });

  it('rates of each row sum to 1 where the row has loans', () => {
    for (const from of ['current', '1-30', '31-60', '91-120']) {
      const row = matrix.cells.filter((c) => c.from === from);
      expect(row.reduce((a, c) => a + Number(c.countRate), 0)).toBeCloseTo(1, 9);
    }
    const svg = renderSvg(rollRateChart(matrix));
    expect(svg).toContain('Roll rates (by balance)');
  });

  it('marks loans the second snapshot lost as missing', () => {
    expect(
      rollRates([p('x', 0, 10)], []).cells.find((c) => c.to === 'missing' && c.from === 'current')!.loans,
    ).toBe(1);
  });
});

describe('vintage curves', () => {
  const loans = [
    { loanId: 'a', originationDate: d('2024-01-10'), originalPrincipal: 10_000 },
    { loanId: 'b', originationDate: d('2024-01-20'), originalPrincipal: 30_000 },
    { loanId: 'c', originationDate: d('2024-03-05'), originalPrincipal: 20_000 },
    { loanId: 'z', originationDate: d('2024-07-01'), originalPrincipal: 99 },
  ];
  const events = [
    { loanId: 'a', date: d('2024-03-15'), kind: 'charge_off' as const, amount: 8_000 },
    { loanId: 'a', date: d('2024-05-02'), kind: 'recovery' as const, amount: 2_000 },
    { loanId: 'b', date: d('2024-02-28'), kind: 'prepayment' as const, amount: 30_000 },
    { loanId: 'c', date: d('2024-04-01'), kind: 'prepayment' as const, amount: 1_000 },
    { loanId: 'c', date: d('2024-07-01'), kind: 'charge_off' as const, amount: 5_000 },
  ];
  const curves = vintageCurves(loans, events, d('2024-06-30'));

  it('accumulate net loss and prepayment by months on book, up to the as-of month', () => {
    expect(curves.map((v) => [v.vintage, v.loans, v.originated, v.points.length])).toEqual([
      ['2024-01', 2, 40_000, 6],
      ['2024-03', 1, 20_000, 4],
    ]);
    const jan = curves[0]!.points;
    expect(jan.map((p) => p.netLoss)).toEqual([0, 0, 8_000, 8_000, 6_000, 6_000]);
    expect(jan.map((p) => p.lossRate)).toEqual([
      '0.000000',
      '0.000000',
      '0.200000',
      '0.200000',
      '0.150000',
      '0.150000',
    ]);
    expect(jan.map((p) => p.prepaymentRate)).toEqual([
      '0.000000',
      '0.750000',
      '0.750000',
      '0.750000',
      '0.750000',
      '0.750000',
    ]);
    expect(curves[1]!.points.at(-1)).toMatchObject({
      netLoss: 0,
      prepaid: 1_000,
      prepaymentRate: '0.050000',
    });
  });

  it('chart as lines, one per vintage, with gaps where a vintage is too young', () => {
    const chart = vintageChart(curves, 'loss');
    expect(chart.categories).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(chart.series[1]!.values).toEqual([0, 0, 0, 0, null, null]);
    const aging = new AgingAccumulator();
    aging.add({ daysPastDue: 0, principal: 100_000, pastDue: 0, balance: 101_000 });
    expect(agingChart(aging.rows()).series[0]!.values[0]).toBe(1_000);
  });
});

describe('prepayments', () => {
  const due = [
    { date: d('2024-02-15'), amount: 100 },
    { date: d('2024-03-15'), amount: 100 },
    { date: d('2024-04-15'), amount: 100 },
  ];
  it('settles principal already due first; only the rest is prepaid', () => {
    const paid = [
      { date: d('2024-01-20'), amount: 30 }, // nothing due yet: all ahead
      { date: d('2024-02-15'), amount: 100 }, // 70 still due (100 - the 30 ahead), 30 ahead
      { date: d('2024-03-20'), amount: 50 }, // due 200, paid 130: 70 in arrears, none ahead
      { date: d('2024-03-21'), amount: 170 }, // 20 settles arrears, 150 ahead (the payoff)
    ];
    expect(prepayments('L', due, paid).map((e) => [e.date, e.amount])).toEqual([
      ['2024-01-20', 30],
      ['2024-02-15', 30],
      ['2024-03-21', 150],
    ]);
  });
  it('a payment on its due date settles that installment, not a prepayment', () => {
    expect(prepayments('L', due, [{ date: d('2024-02-15'), amount: 100 }])).toEqual([]);
  });
});

describe('roll accumulator', () => {
  it('matches rollRates over the same positions, loan by loan', () => {
    const before = [
      { loanId: 'a', status: 'active' as const, daysPastDue: 0, balance: 100 },
      { loanId: 'b', status: 'active' as const, daysPastDue: 10, balance: 50 },
    ];
    const after = [{ loanId: 'a', status: 'paid_off' as const, daysPastDue: 0, balance: 0 }];
    const acc = new RollAccumulator();
    acc.add(before[0]!, after[0]);
    acc.add(before[1]!, undefined);
    expect(acc.matrix(0)).toEqual(rollRates(before, after));
  });
});
