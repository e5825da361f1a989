import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOfx } from '../../sandbox/bank-files/write-ofx.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accountsOf, bankFile, fileImportLender, get, importFile } from './helpers.js';

/** What an imported statement says and does not say: balances, positions, the institution's own statuses. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const spend = [{ type: 'POS', posted: '20240410', amount: '-12.00', fitId: 'X-1', name: 'CAFE' }];

interface SnapshotJson {
  source: string;
  balance: number | null;
  as_of: string;
}

describe('POST /v1/imports: a statement without a balance', () => {
  it('writes no balance snapshot and leaves the account balance unknown, never stamped with the import time', async () => {
    const l = await fileImportLender(t, 'No balance');
    const r = await importFile(t, l, bankFile(spend, { ledger: undefined }));
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ transactions_imported: 1, balance_snapshots: 0 });
    const [account] = await accountsOf(t, l);
    expect(account).toMatchObject({ balance: null, balance_as_of: null });
    const snapshots = await get<{ data: SnapshotJson[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/balance-snapshots`,
    );
    expect(snapshots.data).toEqual([]);

    // The statement of April, imported afterwards, sets the balance: nothing newer is known.
    await importFile(t, l, bankFile(spend, { balance: '250.00', asOf: '20240430120000' }));
    const [after] = await accountsOf(t, l);
    expect(after).toMatchObject({ balance: 25000, balance_as_of: '2024-04-30T12:00:00.000Z' });
  });

  it('does not erase a known balance when a later file has none', async () => {
    const l = await fileImportLender(t, 'Balance kept');
    await importFile(t, l, bankFile(spend, { balance: '250.00', asOf: '20240430120000' }));
    const r = await importFile(t, l, bankFile(spend, { ledger: undefined }));
    expect(r.json()).toMatchObject({ balance_snapshots: 0 });
    const [account] = await accountsOf(t, l);
    expect(account).toMatchObject({ balance: 25000, balance_as_of: '2024-04-30T12:00:00.000Z' });
    const snapshots = await get<{ data: SnapshotJson[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/balance-snapshots`,
    );
    expect(snapshots.data.map((s) => [s.balance, s.as_of])).toEqual([[25000, '2024-04-30T12:00:00.000Z']]);
  });
});

describe('POST /v1/imports: positions', () => {
  it('keeps two positions of the same security, so the holdings add up to the statement', async () => {
    const l = await fileImportLender(t, 'Two lots');
    const lot = (units: string, marketValue: string) => ({
      tag: 'POSSTOCK' as const,
      cusip: '037833100',
      units,
      unitPrice: '210.00',
      marketValue,
      asOf: '20240628160000',
    });
    const file = writeOfx(
      {
        org: 'Broker',
        statements: [
          {
            kind: 'investment',
            brokerId: 'broker.example',
            accountId: 'Z-1001',
            asOf: '20240628160000',
            trades: [],
            positions: [
              lot('10', '2100.00'),
              lot('5', '1050.00'),
              { ...lot('2', '300.00'), cusip: '922908363' },
            ],
            availableCash: '100.00',
          },
        ],
        securities: [
          { cusip: '037833100', ticker: 'AAPL', name: 'Apple Inc.' },
          { cusip: '922908363', ticker: 'VOO', name: 'Vanguard S&P 500 ETF' },
        ],
      },
      { dialect: 'sgml' },
    );
    const r = await importFile(t, l, file);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ holdings_imported: 3 });
    const [account] = await accountsOf(t, l);
    expect(account).toMatchObject({ balance: 355000 }); // cash 100 + 2100 + 1050 + 300
    type HoldingJson = {
      provider_holding_id: string;
      symbol: string;
      quantity: string;
      market_value: number;
    };
    const holdings = (await get<{ data: HoldingJson[] }>(t, l, `/v1/accounts/${account!.id}/holdings`)).data;
    expect(holdings.map((h) => [h.symbol, h.quantity, h.market_value]).sort()).toEqual([
      ['AAPL', '10', 210000],
      ['AAPL', '5', 105000],
      ['VOO', '2', 30000],
    ]);
    expect(new Set(holdings.map((h) => h.provider_holding_id)).size).toBe(3);
    const snapshots = await get<{ data: { holdings_value: number }[] }>(
      t,
      l,
      `/v1/accounts/${account!.id}/balance-snapshots`,
    );
    expect(snapshots.data.map((s) => s.holdings_value)).toEqual([345000]);

    // The same file again: the same holdings, by the same ids, not more.
    const again = await importFile(t, l, file);
    expect(again.json()).toMatchObject({ holdings_imported: 3 });
    const after = (await get<{ data: HoldingJson[] }>(t, l, `/v1/accounts/${account!.id}/holdings`)).data;
    expect(after.map((h) => h.provider_holding_id).sort()).toEqual(
      holdings.map((h) => h.provider_holding_id).sort(),
    );
  });
});

describe("POST /v1/imports: the institution's own statuses and metadata", () => {
  const sgml = (signon: string, body: string) =>
    [
      'OFXHEADER:100',
      'DATA:OFXSGML',
      'VERSION:102',
      '',
      '<OFX>',
      `<SIGNONMSGSRSV1><SONRS>${signon}<LANGUAGE>ENG<FI><ORG>Example Bank<FID>1234</FI></SONRS></SIGNONMSGSRSV1>`,
      body,
      '</OFX>',
      '',
    ].join('\r\n');
  const ok = '<STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240131120000';
  const statement = bankFile(spend).slice(
    bankFile(spend).indexOf('<BANKMSGSRSV1>'),
    bankFile(spend).indexOf('</OFX>'),
  );

  async function nothingStored(l: Awaited<ReturnType<typeof fileImportLender>>) {
    const connections = await get<{ data: unknown[] }>(t, l, `/v1/connections?customer_id=${l.customerId}`);
    expect(connections.data).toEqual([]);
    expect(await accountsOf(t, l)).toEqual([]);
  }

  it('refuses a statement response that is an error with a 422 carrying its code and message, storing nothing', async () => {
    const l = await fileImportLender(t, 'Error response');
    const body =
      '<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>2000<SEVERITY>ERROR<MESSAGE>General error</STATUS></STMTTRNRS></BANKMSGSRSV1>';
    const r = await importFile(t, l, sgml(ok, body));
    expect(r.statusCode).toBe(422);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({
      code: 'ofx_institution_error',
      institution_code: 2000,
      institution_severity: 'ERROR',
      institution_message: 'General error',
      element: 'STATUS',
      line: 7,
    });
    expect(r.json().detail).toContain('status 2000 (ERROR) "General error"');
    await nothingStored(l);
  });

  it('refuses a refused sign-on the same way', async () => {
    const l = await fileImportLender(t, 'Refused sign-on');
    const signon =
      '<STATUS><CODE>15500<SEVERITY>ERROR<MESSAGE>Signon invalid</STATUS><DTSERVER>20240131120000';
    const r = await importFile(t, l, sgml(signon, ''));
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      code: 'ofx_institution_error',
      institution_code: 15500,
      institution_message: 'Signon invalid',
    });
    await nothingStored(l);
  });

  it('imports a statement whose sign-on date cannot be read, and says so in warnings', async () => {
    const l = await fileImportLender(t, 'Zone without offset');
    const signon = '<STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20091217162416.000[-:EST]';
    const r = await importFile(t, l, sgml(signon, statement));
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      transactions_imported: 1,
      warnings: [
        {
          code: 'ofx_signon_metadata',
          element: 'DTSERVER',
          line: 6,
          message: expect.stringContaining('bad date "20091217162416.000[-:EST]"'),
        },
      ],
    });
    const clean = await importFile(t, l, sgml(ok, statement));
    expect(clean.json()).toMatchObject({ transactions_skipped: 1, warnings: [] });
  });
});
