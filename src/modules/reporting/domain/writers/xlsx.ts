import type { Writable } from 'node:stream';
import { Decimal } from 'decimal.js';
import ExcelJS from 'exceljs';
import type { CellValue, ReportColumn, ReportRow, ReportSummary, SummaryFigure } from '../generator.js';
import { currencyOf, exponentOf } from './cells.js';

/**
 * XLSX through exceljs's streaming WorkbookWriter: each row is committed (written to the zip stream) as it
 * arrives, so memory stays flat however long the report. Cells are typed: money as numbers in major units with a
 * currency format, percents as fractions formatted as percents, dates as Excel dates, text as inline strings
 * (no shared-string table to hold in memory). A second sheet holds the summary.
 */
const NUMBER_FORMATS: Partial<Record<ReportColumn['type'], string>> = {
  integer: '0',
  decimal: '0.0000',
  percent: '0.0000%',
  date: 'yyyy-mm-dd',
};

const moneyFormat = (currency: string | undefined) => {
  const exponent = exponentOf(currency);
  return exponent === 0 ? '#,##0' : `#,##0.${'0'.repeat(exponent)}`;
};

/** A report cell as the value exceljs writes. */
function excelValue(type: ReportColumn['type'], value: CellValue, currency: string | undefined) {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'money':
      return new Decimal(value as number).div(new Decimal(10).pow(exponentOf(currency))).toNumber();
    case 'percent':
      return new Decimal(value as string).div(100).toNumber();
    case 'decimal':
      return new Decimal(value as string).toNumber();
    case 'date':
      return new Date(`${value as string}T00:00:00Z`);
    default:
      return value;
  }
}

export interface XlsxOptions {
  sheetName?: string;
  /** Called after the rows are written, for the summary sheet. */
  summary?: () => ReportSummary;
}

export async function writeXlsx<R extends ReportRow>(
  columns: readonly ReportColumn<R>[],
  rows: AsyncIterable<R>,
  out: Writable,
  options: XlsxOptions = {},
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(options.sheetName ?? 'Report', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((c) => ({
    header: c.label,
    key: c.key,
    width: Math.min(40, Math.max(10, c.label.length + 2)),
    style:
      c.type === 'money' && c.currency && 'code' in c.currency
        ? { numFmt: moneyFormat(c.currency.code) }
        : NUMBER_FORMATS[c.type]
          ? { numFmt: NUMBER_FORMATS[c.type]! }
          : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let count = 0;
  for await (const row of rows) {
    const excelRow = sheet.addRow(
      columns.map((c) => excelValue(c.type, row[c.key] ?? null, currencyOf(c, row))),
    );
    columns.forEach((c, i) => {
      if (c.type === 'money' && c.currency && 'column' in c.currency)
        excelRow.getCell(i + 1).numFmt = moneyFormat(currencyOf(c, row));
    });
    excelRow.commit();
    count++;
  }
  sheet.commit();
  if (options.summary) {
    const summary = options.summary();
    const sheet2 = workbook.addWorksheet('Summary');
    sheet2.columns = [
      { header: 'Figure', key: 'label', width: 40 },
      { header: 'Value', key: 'value', width: 24 },
    ];
    sheet2.getRow(1).font = { bold: true };
    const figures: SummaryFigure[] = [
      { label: 'Rows', value: summary.rows, type: 'integer' },
      ...summary.figures,
    ];
    for (const f of figures) {
      const r = sheet2.addRow([f.label, excelValue(f.type, f.value, f.currency)]);
      const format = f.type === 'money' ? moneyFormat(f.currency) : NUMBER_FORMATS[f.type];
      if (format) r.getCell(2).numFmt = format;
      r.commit();
    }
    sheet2.commit();
  }
  await workbook.commit();
  return count;
}
