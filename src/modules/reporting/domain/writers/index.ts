import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ReportRun } from '../generator.js';
import { csvChunks } from './csv.js';
import { jsonlChunks } from './jsonl.js';
import { writeXlsx } from './xlsx.js';

export const REPORT_FORMATS = ['csv', 'jsonl', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const FORMAT_MEDIA: Record<ReportFormat, { contentType: string; extension: string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  jsonl: { contentType: 'application/x-ndjson', extension: 'jsonl' },
  xlsx: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
};

/** Writes text chunks, waiting whenever the destination asks for a pause (backpressure). */
async function writeChunks(chunks: AsyncIterable<string>, out: Writable): Promise<void> {
  for await (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Streams a report run into `out` in a format and returns its summary. `onProgress` sees the row count as rows
 * are written (job progress). The destination (a file, document storage, an HTTP response) is the caller's.
 */
export async function writeReport(
  run: ReportRun,
  format: ReportFormat,
  out: Writable,
  onProgress: (rows: number) => void = () => {},
) {
  let rows = 0;
  async function* counting() {
    for await (const row of run.rows) {
      rows++;
      if (rows % 1000 === 0) onProgress(rows);
      yield row;
    }
  }
  if (format === 'xlsx') await writeXlsx(run.columns, counting(), out, { summary: () => run.summary() });
  else await writeChunks((format === 'csv' ? csvChunks : jsonlChunks)(run.columns, counting()), out);
  onProgress(rows);
  return { rows, summary: run.summary(), chart: run.chart?.() };
}
