/**
 * A chart a report offers its reader (aging by bucket, roll rates, vintage curves): data and labels only, so
 * the API can return it as JSON and `renderSvg` can draw it without a browser.
 */
export const CHART_KINDS = ['bar', 'line', 'stacked_bar'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export interface ChartSeries {
  name: string;
  /** One value per category; null where the series has no point (a vintage too young for that month). */
  values: (number | null)[];
}

export interface ChartSpec {
  kind: ChartKind;
  title: string;
  categories: string[];
  series: ChartSeries[];
  xLabel?: string;
  yLabel?: string;
  /** How axis ticks read: plain numbers, percents of 1 (0.25 → 25%), or money in major units. */
  yFormat?: 'number' | 'percent' | 'money';
}
