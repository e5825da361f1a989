import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { bankFile, fileImportLender, importFile, type Lender, lender, multipart } from './helpers.js';

const LIMIT = 4096;
let t: TestApp;
let acme: Lender;

beforeAll(async () => {
  t = await startTestApp({ env: { PLINTH_UPLOAD_LIMIT_BYTES: String(LIMIT) } });
  acme = await fileImportLender(t, 'Acme');
});
afterAll(() => t.close());

/** Rows in every aggregation table: a refused import must leave all of them as they were. */
async function footprint(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'financial_connections',
    'financial_accounts',
    'financial_transactions',
    'financial_holdings',
    'financial_balance_snapshots',
    'financial_imports',
    'financial_tenant_keys',
  ]) {
    const [r] = await rows<{ n: number }>(
      t.ctx.database.db,
      sql.raw(`SELECT count(*)::int AS n FROM ${table}`),
    );
    out[table] = r!.n;
  }
  return out;
}

const good = bankFile([{ type: 'POS', posted: '20240410', amount: '-12.00', fitId: 'X-1', name: 'CAFE' }]);

describe('POST /v1/imports: bad input', () => {
  it('a truncated file is a 400 naming the line and the element, and nothing is written', async () => {
    const before = await footprint();
    const cut = good.slice(0, good.indexOf('</STMTTRN>'));
    const r = await importFile(t, acme, cut);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({
      code: 'ofx_malformed',
      line: expect.any(Number),
      element: expect.any(String),
    });
    expect(r.json().detail).toMatch(/^line \d+, <[A-Z.]+>/);
    expect(await footprint()).toEqual(before);
  });

  it('a malformed amount names its line and element', async () => {
    const r = await importFile(t, acme, good.replace('-12.00', '-12.0.0'));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ element: 'TRNAMT' });
  });

  it('a file over the upload limit is a 413', async () => {
    const before = await footprint();
    const big = good.replace('<NAME>CAFE', `<NAME>CAFE<MEMO>${'x'.repeat(LIMIT)}`);
    const r = await importFile(t, acme, big);
    expect(r.statusCode).toBe(413);
    expect(await footprint()).toEqual(before);
  });

  it('another file type is a 415, and so is a body that is not multipart', async () => {
    const pdf = await importFile(
      t,
      acme,
      Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'),
      'x.pdf',
    );
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json()).toMatchObject({ code: 'unsupported_file_format', supported_formats: ['ofx', 'qfx'] });
    const csv = await importFile(t, acme, 'Date,Description,Amount\n2024-04-10,CAFE,-12.00\n', 'x.csv');
    expect(csv.statusCode).toBe(415);
    const json = await t.call('POST', '/v1/imports', {
      key: acme.key,
      body: { customer_id: acme.customerId },
    });
    expect(json.statusCode).toBe(415);
  });

  it('missing fields are a 400 naming them', async () => {
    const noFile = multipart({ customer_id: acme.customerId });
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { authorization: `Bearer ${acme.key}`, ...noFile.headers },
      payload: noFile.payload,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([{ path: 'file', message: 'required' }]);
    const noCustomer = multipart({}, { name: 's.ofx', content: good });
    const r2 = await t.app.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { authorization: `Bearer ${acme.key}`, ...noCustomer.headers },
      payload: noCustomer.payload,
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().errors).toEqual([expect.objectContaining({ path: 'customer_id' })]);
  });

  it('a tenant without a file-import config is told to configure one', async () => {
    const bare = await lender(t, 'Bare');
    const r = await importFile(t, bare, good);
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('provider_not_configured');
  });

  it('a good file still imports after all that', async () => {
    const r = await importFile(
      t,
      acme,
      readFileSync(
        join(import.meta.dirname, '../../src/modules/aggregation/domain/ofx/fixtures/chase-oneline.qfx'),
      ),
      'chase.qfx',
    );
    expect(r.statusCode).toBe(201);
    expect(r.json().transactions_imported).toBeGreaterThan(0);
  });
});
