import type { ReportColumn, ReportRow } from '../generator.js';
import { textOf } from './cells.js';

/**
 * CSV per RFC 4180: a header row of the labels, CRLF line ends, fields quoted when they hold a comma, a quote, CR
 * or LF (quotes doubled). Text cells that a spreadsheet would run as a formula (starting with = + - @ or a tab)
 * get a leading apostrophe (OWASP's CSV injection advice); numbers are never touched. Money is in major units.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cell<R extends ReportRow>(column: ReportColumn<R>, row: R): string {
  const text = textOf(column, row);
  return csvField(column.type === 'string' && FORMULA.test(text) ? `'${text}` : text);
}

/** The CSV text in chunks of about `chunkSize` characters, produced as the rows arrive. */
export async function* csvChunks<R extends ReportRow>(
  columns: readonly ReportColumn<R>[],
  rows: AsyncIterable<R>,
  chunkSize = 64 * 1024,
): AsyncGenerator<string> {
  let buffer = `${columns.map((c) => csvField(c.label)).join(',')}\r\n`;
  for await (const row of rows) {
    buffer += `${columns.map((c) => cell(c, row)).join(',')}\r\n`;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer.length > 0) yield buffer;
}
