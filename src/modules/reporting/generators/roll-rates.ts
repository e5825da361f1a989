import type { z } from 'zod';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type PositionChange, positionState } from '../../lending/index.js';
import {
  type ParamProblem,
  type ReportGenerator,
  RollAccumulator,
  type RollMatrix,
  rollRateChart,
  type SnapshotPosition,
} from '../domain/index.js';
import { currencyParam, periodParams, programParam, type ReportSource } from './source.js';

const rollParams = periodParams({ ...programParam, ...currencyParam });
type RollParams = z.output<typeof rollParams>;

/** A recorded position as the roll matrix sees it: on book by its days past due, or the way it left. */
function snapshot(p: PositionChange['from']): SnapshotPosition {
  const state = positionState(p.status);
  return {
    loanId: p.loanId,
    status: state === 'on_book' ? 'active' : state,
    daysPastDue: p.daysPastDue,
    balance: p.balance,
  };
}

/**
 * Roll rates between two business dates, from the loan positions close of business recorded as each date opened:
 * each loan on book at `from` counted from its bucket then to where it stood at `to` (a bucket, paid off, charged
 * off, or missing when nothing was recorded for it at `to`), by count and by its balance at `from`.
 */
export const rollRates: ReportGenerator<RollParams, ReportSource> = {
  key: 'roll_rates',
  displayName: 'Roll rates',
  description:
    'Bucket-to-bucket transitions of the loans on book between two business dates, by count and by starting balance',
  paramsSchema: rollParams,
  async check(params, source) {
    const problems: ParamProblem[] = [];
    for (const param of ['from', 'to'] as const)
      if (!(await source.lending.positions.recorded(source.tenantId, params[param])))
        problems.push({
          param,
          message: `no loan positions were recorded for ${params[param]} (close of business records each business date it opens)`,
        });
    return problems;
  },
  run(params, source) {
    const roll = new RollAccumulator();
    const period = { from: params.from as CalendarDate, to: params.to as CalendarDate };
    const filter = { programId: params.program_id };
    const skipped = { n: 0 };
    let matrix: RollMatrix | undefined;
    async function* rows() {
      for await (const c of source.lending.positions.changes(source.tenantId, period, filter)) {
        if (c.from.currency !== params.currency) {
          skipped.n++;
          continue;
        }
        // A loan's latest position before `to` counts only if it left the book then; on book, it is missing at `to`.
        const end =
          c.to && (c.to.asOf === period.to || positionState(c.to.status) !== 'on_book') ? c.to : null;
        roll.add(snapshot(c.from), end ? snapshot(end) : undefined);
      }
      const arrivals = await source.lending.positions.arrivals(source.tenantId, period, {
        ...filter,
        currency: params.currency,
      });
      matrix = roll.matrix(arrivals);
      for (const cell of matrix.cells)
        yield {
          from_bucket: cell.from,
          to_state: cell.to,
          loans: cell.loans,
          balance: cell.balance,
          count_rate: cell.countRate,
          balance_rate: cell.balanceRate,
        };
    }
    const cur = { code: params.currency };
    return {
      columns: [
        { key: 'from_bucket', label: `Bucket on ${params.from}`, type: 'string' },
        { key: 'to_state', label: `State on ${params.to}`, type: 'string' },
        { key: 'loans', label: 'Loans', type: 'integer' },
        { key: 'balance', label: `Balance on ${params.from}`, type: 'money', currency: cur },
        { key: 'count_rate', label: 'Share of the bucket’s loans', type: 'percent' },
        { key: 'balance_rate', label: 'Share of the bucket’s balance', type: 'percent' },
      ],
      rows: rows(),
      summary: () => {
        const cells = matrix?.cells ?? [];
        return {
          rows: cells.length,
          figures: [
            { label: 'Loans on book at the start', value: sumOf(cells, 'loans'), type: 'integer' },
            {
              label: 'Balance at the start',
              value: sumOf(cells, 'balance'),
              type: 'money',
              currency: params.currency,
            },
            { label: 'Loans originated in between', value: matrix?.newLoans ?? 0, type: 'integer' },
            { label: 'Loans in other currencies (left out)', value: skipped.n, type: 'integer' },
          ],
        };
      },
      chart: () => (matrix ? rollRateChart(matrix) : undefined),
    };
  },
};

const sumOf = (cells: RollMatrix['cells'], key: 'loans' | 'balance') => cells.reduce((s, c) => s + c[key], 0);
