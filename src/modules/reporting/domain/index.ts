// The reporting domain's public surface: the generator contract, writers, charts, Metro 2, aggregations.
export {
  AgingAccumulator,
  type AgingBucket,
  type AgingRow,
  agingBuckets,
  bucketOf,
  DEFAULT_BUCKET_BOUNDS,
  type LoanPosition,
  ParAccumulator,
  type ParRow,
} from './aggregation/aging.js';
export { agingChart, rollRateChart, vintageChart } from './aggregation/charts.js';
export {
  RollAccumulator,
  type RollCell,
  type RollMatrix,
  rollRates,
  type SnapshotPosition,
} from './aggregation/roll-rates.js';
export {
  prepayments,
  type Vintage,
  VintageAccumulator,
  type VintageEvent,
  type VintageLoan,
  type VintagePoint,
  vintageCurves,
} from './aggregation/vintage.js';
export { CHART_KINDS, type ChartKind, type ChartSeries, type ChartSpec } from './chart/spec.js';
export { renderSvg, type SvgOptions } from './chart/svg.js';
export {
  type CellValue,
  COLUMN_TYPES,
  type ColumnType,
  counted,
  type ParamProblem,
  type ReportColumn,
  type ReportGenerator,
  type ReportRow,
  type ReportRun,
  type ReportSummary,
  type SummaryFigure,
} from './generator.js';
export { fieldOf, metro2Text } from './metro2/encode.js';
export { type Metro2FileRun, metro2File, type RejectedAccount } from './metro2/file.js';
export {
  BASE_LAYOUT,
  type FieldSpec,
  HEADER_LAYOUT,
  RECORD_LENGTH,
  TRAILER_LAYOUT,
} from './metro2/layout.js';
export {
  baseSegment,
  headerRecord,
  type Metro2Account,
  type Metro2Consumer,
  type Metro2Cycle,
  type Metro2Furnisher,
  TrailerTally,
  wholeDollars,
} from './metro2/records.js';
export {
  type AccountStatusCode,
  accountStatusOf,
  type MonthEnd,
  paymentHistoryProfile,
  type Recovery,
  type ServicingCondition,
  type ServicingState,
} from './metro2/status.js';
export { csvChunks } from './writers/csv.js';
export { FORMAT_MEDIA, REPORT_FORMATS, type ReportFormat, writeReport } from './writers/index.js';
export { jsonlChunks } from './writers/jsonl.js';
export { writeXlsx } from './writers/xlsx.js';
