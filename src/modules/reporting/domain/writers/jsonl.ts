import type { ReportColumn, ReportRow } from '../generator.js';

/**
 * JSON lines: one object per row, keyed by column key, in the API's conventions (money as integer minor units,
 * decimals as strings, dates as YYYY-MM-DD), LF line ends.
 */
export async function* jsonlChunks<R extends ReportRow>(
  columns: readonly ReportColumn<R>[],
  rows: AsyncIterable<R>,
  chunkSize = 64 * 1024,
): AsyncGenerator<string> {
  let buffer = '';
  for await (const row of rows) {
    const out: Record<string, unknown> = {};
    for (const c of columns) out[c.key] = row[c.key] ?? null;
    buffer += `${JSON.stringify(out)}\n`;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer.length > 0) yield buffer;
}
