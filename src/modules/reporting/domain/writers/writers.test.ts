import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ReportColumn, ReportRun } from '../generator.js';
import { csvChunks, csvField } from './csv.js';
import { writeReport } from './index.js';
import { jsonlChunks } from './jsonl.js';

type Row = {
  loan: string;
  balance: number;
  rate: string;
  opened: string;
  current: boolean;
  note: string | null;
  currency: string;
};
const columns: ReportColumn<Row>[] = [
  { key: 'loan', label: 'Loan', type: 'string' },
  { key: 'balance', label: 'Balance', type: 'money', currency: { column: 'currency' } },
  { key: 'rate', label: 'Rate', type: 'percent' },
  { key: 'opened', label: 'Opened', type: 'date' },
  { key: 'current', label: 'Current', type: 'boolean' },
  { key: 'note', label: 'Note, free text', type: 'string' },
];
const rows: Row[] = [
  {
    loan: 'L-1',
    balance: 123_456,
    rate: '9.4822',
    opened: '2024-01-15',
    current: true,
    note: 'says "hi", twice\r\nok',
    currency: 'USD',
  },
  {
    loan: '=cmd()',
    balance: -5,
    rate: '0',
    opened: '2024-02-01',
    current: false,
    note: null,
    currency: 'JPY',
  },
];
async function* stream<T>(list: readonly T[], pulled?: { n: number }) {
  for (const r of list) {
    if (pulled) pulled.n++;
    yield r;
  }
}
const collect = async (chunks: AsyncIterable<string>) => {
  let s = '';
  for await (const c of chunks) s += c;
  return s;
};

describe('CSV (RFC 4180)', () => {
  it('quotes what needs quoting, doubles quotes, ends lines with CRLF, writes money in major units', async () => {
    expect(await collect(csvChunks(columns, stream(rows)))).toBe(
      '"Loan","Balance","Rate","Opened","Current","Note, free text"\r\n'.replace(
        /"(Loan|Balance|Rate|Opened|Current)"/g,
        '$1',
      ) +
        'L-1,1234.56,9.4822,2024-01-15,true,"says ""hi"", twice\r\nok"\r\n' +
        "'=cmd(),-5,0,2024-02-01,false,\r\n",
    );
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a"b')).toBe('"a""b"');
  });

  it('yields chunks while rows are still arriving', async () => {
    const pulled = { n: 0 };
    const many = Array.from({ length: 1_000 }, (_, k) => ({ ...rows[0]!, loan: `L-${k}` }));
    const chunks = csvChunks(columns, stream(many, pulled), 1_024);
    await chunks.next();
    await chunks.next();
    expect(pulled.n).toBeLessThan(100);
  });
});

describe('JSON lines', () => {
  it('writes one object per row in API conventions', async () => {
    const lines = (await collect(jsonlChunks(columns, stream(rows)))).split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({
      loan: 'L-1',
      balance: 123_456,
      rate: '9.4822',
      opened: '2024-01-15',
      current: true,
      note: 'says "hi", twice\r\nok',
    });
    expect(lines[2]).toBe('');
  });
});

describe('XLSX', () => {
  it('streams a typed workbook with a summary sheet that exceljs reads back', async () => {
    const run: ReportRun<Row> = {
      columns,
      rows: stream(rows),
      summary: () => ({
        rows: 2,
        figures: [{ label: 'Total balance', value: 123_451, type: 'money', currency: 'USD' }],
      }),
    };
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (b: Buffer) => parts.push(b));
    const progress: number[] = [];
    const result = await writeReport(run as unknown as ReportRun, 'xlsx', out, (n) => progress.push(n));
    expect(result.rows).toBe(2);
    expect(progress.at(-1)).toBe(2);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(parts) as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet('Report')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Loan',
      'Balance',
      'Rate',
      'Opened',
      'Current',
      'Note, free text',
    ]);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('L-1');
    expect(first.getCell(2).value).toBe(1234.56);
    expect(first.getCell(2).numFmt).toBe('#,##0.00');
    expect(first.getCell(3).value).toBeCloseTo(0.094822, 10);
    expect(first.getCell(4).value).toEqual(new Date('2024-01-15T00:00:00Z'));
    expect(first.getCell(5).value).toBe(true);
    const second = sheet.getRow(3);
    expect(second.getCell(2).value).toBe(-5); // JPY has no minor unit
    expect(second.getCell(2).numFmt).toBe('#,##0');
    const summary = book.getWorksheet('Summary')!;
    expect(summary.getRow(2).values).toEqual([undefined, 'Rows', 2]);
    expect(summary.getRow(3).values).toEqual([undefined, 'Total balance', 1234.51]);
  });

  it('writes CSV through the same entry point, with backpressure', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    let text = '';
    out.on('data', (b: Buffer) => {
      text += b.toString();
    });
    const run = {
      columns,
      rows: stream(rows),
      summary: () => ({ rows: 2, figures: [] }),
    } as unknown as ReportRun;
    const result = await writeReport(run, 'csv', out);
    expect(result.summary.rows).toBe(2);
    expect(text).toBe(await collect(csvChunks(columns, stream(rows))));
  });
});
