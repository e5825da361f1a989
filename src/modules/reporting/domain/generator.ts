import type { z } from 'zod';
import type { ChartSpec } from './chart/spec.js';

/**
 * The report generator contract (`report_generator`). A generator validates its parameters (zod), declares its
 * columns, and streams its rows as an async iterable, so a million-row loan tape never sits in memory. The
 * summary (totals, counts) and the chart are computed while the rows stream and are read once they are consumed.
 * Where the rows come from (queries) is the module's wiring: a generator receives a `source` port.
 */
export const COLUMN_TYPES = ['string', 'integer', 'money', 'decimal', 'percent', 'date', 'boolean'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A cell: money in integer minor units, decimals and percents as decimal strings, dates as YYYY-MM-DD. */
export type CellValue = string | number | boolean | null;

export type ReportRow = Record<string, CellValue>;

export interface ReportColumn<R extends ReportRow = ReportRow> {
  key: keyof R & string;
  label: string;
  type: ColumnType;
  /** Money columns: the ISO 4217 currency, or the key of the row's currency column. */
  currency?: { code: string } | { column: keyof R & string };
}

export interface SummaryFigure {
  label: string;
  value: CellValue;
  type: ColumnType;
  currency?: string;
}

export interface ReportSummary {
  rows: number;
  figures: SummaryFigure[];
}

export interface ReportRun<R extends ReportRow = ReportRow> {
  columns: readonly ReportColumn<R>[];
  rows: AsyncIterable<R>;
  /** Read after `rows` is consumed. */
  summary(): ReportSummary;
  /** Read after `rows` is consumed; reports whose reader a chart helps (aging, vintages, roll rates). */
  chart?(): ChartSpec | undefined;
}

export interface ReportGenerator<P = unknown, S = unknown, R extends ReportRow = ReportRow> {
  key: string;
  displayName: string;
  description: string;
  paramsSchema: z.ZodType<P>;
  /**
   * What the schema cannot see, checked against the data before a run is queued (a date with no recorded loan
   * positions): each problem names its parameter, and the run is refused with a 422.
   */
  check?(params: P, source: S): Promise<ParamProblem[]>;
  run(params: P, source: S): ReportRun<R>;
}

/** A parameter the data does not support: its key and why. */
export interface ParamProblem {
  param: string;
  message: string;
}

/** Counts rows as they pass, for summaries and job progress. */
export async function* counted<R>(
  rows: AsyncIterable<R>,
  onRow: (n: number, row: R) => void,
): AsyncIterable<R> {
  let n = 0;
  for await (const row of rows) {
    n++;
    onRow(n, row);
    yield row;
  }
}
