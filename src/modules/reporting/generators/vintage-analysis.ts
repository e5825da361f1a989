import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import {
  prepayments,
  type ReportGenerator,
  type Vintage,
  VintageAccumulator,
  type VintageEvent,
  vintageChart,
} from '../domain/index.js';
import { currencyParam, programParam, type ReportSource } from './source.js';

const vintageParams = z.strictObject({
  as_of: dateSchema,
  /** Which curve the chart draws (the rows carry both). */
  chart: z.enum(['loss', 'prepayment']).default('loss'),
  ...programParam,
  ...currencyParam,
});

/**
 * Vintage analysis: loans grouped by the month they started, and for each month on book through `as_of`, the
 * cumulative net loss (principal charged off less recoveries) and the cumulative principal prepaid (paid before it
 * fell due, payoffs included), each against the principal the vintage disbursed. Read from the journal and the
 * schedules, so a back-dated payment moves the curve it belongs to.
 */
export const vintageAnalysis: ReportGenerator<z.output<typeof vintageParams>, ReportSource> = {
  key: 'vintage_analysis',
  displayName: 'Vintage analysis',
  description:
    'Cumulative net loss and prepayment by origination month and month on book, as shares of the principal disbursed',
  paramsSchema: vintageParams,
  run(params, source) {
    const acc = new VintageAccumulator(params.as_of);
    const skipped = { n: 0 };
    let vintages: Vintage[] = [];
    async function* rows() {
      const outcomes = source.lending.outcomes(source.tenantId, params.as_of, {
        programId: params.program_id,
      });
      for await (const o of outcomes) {
        if (o.currency !== params.currency) {
          skipped.n++;
          continue;
        }
        const events: VintageEvent[] = [
          ...o.chargedOff.map((e) => ({ loanId: o.loanId, kind: 'charge_off' as const, ...e })),
          ...o.recovered.map((e) => ({ loanId: o.loanId, kind: 'recovery' as const, ...e })),
          ...prepayments(o.loanId, o.principalDue, o.principalPaid),
        ];
        acc.add({ loanId: o.loanId, originationDate: o.startDate, originalPrincipal: o.disbursed }, events);
      }
      vintages = acc.vintages();
      for (const v of vintages)
        for (const p of v.points)
          yield {
            vintage: v.vintage,
            months_on_book: p.monthsOnBook,
            loans: v.loans,
            originated: v.originated,
            net_loss: p.netLoss,
            prepaid: p.prepaid,
            loss_rate: p.lossRate,
            prepayment_rate: p.prepaymentRate,
          };
    }
    const cur = { code: params.currency };
    return {
      columns: [
        { key: 'vintage', label: 'Vintage (origination month)', type: 'string' },
        { key: 'months_on_book', label: 'Months on book', type: 'integer' },
        { key: 'loans', label: 'Loans', type: 'integer' },
        { key: 'originated', label: 'Principal disbursed', type: 'money', currency: cur },
        { key: 'net_loss', label: 'Cumulative net loss', type: 'money', currency: cur },
        { key: 'prepaid', label: 'Cumulative principal prepaid', type: 'money', currency: cur },
        { key: 'loss_rate', label: 'Loss rate', type: 'percent' },
        { key: 'prepayment_rate', label: 'Prepayment rate', type: 'percent' },
      ],
      rows: rows(),
      summary: () => ({
        rows: vintages.reduce((n, v) => n + v.points.length, 0),
        figures: [
          { label: 'Vintages', value: vintages.length, type: 'integer' },
          { label: 'Loans', value: vintages.reduce((n, v) => n + v.loans, 0), type: 'integer' },
          {
            label: 'Principal disbursed',
            value: vintages.reduce((n, v) => n + v.originated, 0),
            type: 'money',
            currency: params.currency,
          },
          { label: 'Loans in other currencies (left out)', value: skipped.n, type: 'integer' },
        ],
      }),
      chart: () => vintageChart(vintages, params.chart),
    };
  },
};
