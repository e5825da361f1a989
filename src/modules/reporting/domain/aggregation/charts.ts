import type { ChartSpec } from '../chart/spec.js';
import type { AgingRow } from './aging.js';
import type { RollMatrix } from './roll-rates.js';
import type { Vintage } from './vintage.js';

/** The charts the aging, roll-rate and vintage reports offer, built from their aggregates. */

const major = (minor: number, exponent: number) => minor / 10 ** exponent;

export function agingChart(rows: readonly AgingRow[], exponent = 2): ChartSpec {
  return {
    kind: 'bar',
    title: 'Delinquency aging',
    categories: rows.map((r) => r.bucket),
    series: [
      { name: 'Principal', values: rows.map((r) => major(r.principal, exponent)) },
      { name: 'Past due', values: rows.map((r) => major(r.pastDue, exponent)) },
    ],
    xLabel: 'days past due',
    yFormat: 'money',
  };
}

/** Each starting bucket's loans split by where they ended up (by balance), stacked to 100%. */
export function rollRateChart(matrix: RollMatrix): ChartSpec {
  const froms = [...new Set(matrix.cells.map((c) => c.from))];
  return {
    kind: 'stacked_bar',
    title: 'Roll rates (by balance)',
    categories: froms,
    series: matrix.states.map((to) => ({
      name: to,
      values: froms.map((from) =>
        Number(matrix.cells.find((c) => c.from === from && c.to === to)?.balanceRate ?? 0),
      ),
    })),
    xLabel: 'bucket at the start',
    yFormat: 'percent',
  };
}

export function vintageChart(vintages: readonly Vintage[], measure: 'loss' | 'prepayment'): ChartSpec {
  const months = Math.max(0, ...vintages.map((v) => v.points.length - 1));
  return {
    kind: 'line',
    title: measure === 'loss' ? 'Cumulative net loss by vintage' : 'Cumulative prepayment by vintage',
    categories: Array.from({ length: months + 1 }, (_, m) => String(m)),
    series: vintages.map((v) => ({
      name: v.vintage,
      values: Array.from({ length: months + 1 }, (_, m) => {
        const p = v.points[m];
        return p ? Number(measure === 'loss' ? p.lossRate : p.prepaymentRate) : null;
      }),
    })),
    xLabel: 'months on book',
    yFormat: 'percent',
  };
}
