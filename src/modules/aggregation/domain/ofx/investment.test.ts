import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeOfx } from '../../../../../sandbox/bank-files/write-ofx.js';
import type { ParsedFile } from '../parsed-file.js';
import { parseOfx } from './index.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

function parsed(input: Uint8Array | string): ParsedFile {
  const result = parseOfx(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const _brief = (file: ParsedFile) =>
  file.statements.map((s) =>
    s.transactions.map((t) => [t.providerTransactionId, t.transactionDate, t.amount, t.description]),
  );

describe('parseOfx: investment statements', () => {
  it('maps an investment statement: trades, income, cash transactions, positions, balances and the security list', () => {
    const file = parsed(fixture('investment.ofx'));
    const [statement] = file.statements;
    expect(statement!.account).toMatchObject({
      accountType: 'brokerage',
      accountNumberMasked: '****5678',
      cashBalance: 152377,
      balance: 617400, // cash 1523.77 + 2106.20 + 3784.03 - 1240.00
      balanceAsOf: '2024-06-28T20:00:00.000Z',
      institution: { name: 'fidelity.com', id: '7776' },
    });
    const byId = new Map(statement!.transactions.map((t) => [t.providerTransactionId, t]));
    expect(byId.get('T-0001')).toMatchObject({
      transactionType: 'trade',
      subtype: 'buy',
      amount: -194032,
      symbol: 'AAPL',
      quantity: '10',
      unitPrice: '194.03',
      commission: 0,
      transactionDate: '2024-06-03',
      settlementDate: '2024-06-04',
      description: 'YOU BOUGHT',
    });
    expect(byId.get('T-0002')).toMatchObject({
      subtype: 'sell',
      amount: 117535,
      symbol: 'VFIAX',
      quantity: '-2.5',
      commission: 495,
      description: 'Sell VFIAX',
    });
    expect(byId.get('T-0003')).toMatchObject({
      transactionType: 'income',
      subtype: 'dividend',
      amount: 250,
      symbol: 'AAPL',
    });
    expect(byId.get('T-0004')).toMatchObject({
      transactionType: 'trade',
      subtype: 'reinvest',
      amount: -3140,
      quantity: '0.0661',
    });
    expect(byId.get('T-0005')).toMatchObject({
      transactionType: 'adjustment',
      subtype: 'split',
      amount: 0,
      symbol: '67066G104',
    });
    expect(byId.get('B-0001')).toMatchObject({
      transactionType: 'transfer',
      subtype: 'deposit',
      amount: 200000,
      symbol: null,
    });
    expect(statement!.holdings).toEqual([
      {
        providerHoldingId: 'CUSIP:037833100:CASH:LONG',
        symbol: 'AAPL',
        securityName: 'APPLE INC',
        assetType: 'equity',
        quantity: '10',
        costBasis: null,
        marketValue: 210620,
        currency: 'USD',
        averagePrice: null,
        currentPrice: '210.62',
        asOf: '2024-06-28T20:00:00.000Z',
      },
      expect.objectContaining({
        symbol: 'VFIAX',
        securityName: 'VANGUARD 500 INDEX ADMIRAL',
        assetType: 'mutual_fund',
        quantity: '7.5661',
      }),
      // The option's own SECID names it; the underlying's SECID in OPTINFO does not overwrite that.
      expect.objectContaining({
        providerHoldingId: 'OCC:AAPL240719C00200000:MARGIN:SHORT',
        symbol: 'AAPL240719C200',
        assetType: 'option',
        quantity: '-1',
        marketValue: -124000,
      }),
    ]);
  });

  it('reads investment statements written as XML, and several statements of different kinds in one file', () => {
    const text = writeOfx(
      {
        org: 'broker',
        statements: [
          {
            kind: 'card',
            accountId: '4111111111111111',
            transactions: [{ type: 'DEBIT', posted: '20240102', amount: '-5', fitId: 'c1' }],
          },
          {
            kind: 'investment',
            brokerId: 'broker.example',
            accountId: 'Z-998877',
            asOf: '20240628',
            availableCash: '100.00',
            trades: [
              {
                tag: 'BUYSTOCK',
                fitId: 't1',
                tradeDate: '20240603',
                cusip: '037833100',
                units: '2',
                unitPrice: '100',
                commission: '1.00',
                total: '-201.00',
              },
              {
                tag: 'INCOME',
                fitId: 't2',
                tradeDate: '20240604',
                cusip: '999999999',
                total: '3.00',
                incomeType: 'CGLONG',
              },
            ],
            bankTransactions: [
              { type: 'DEP', posted: '20240601', amount: '500', fitId: 'b1', name: 'ACH IN' },
            ],
            positions: [
              {
                tag: 'POSSTOCK',
                cusip: '037833100',
                units: '2',
                unitPrice: '110',
                marketValue: '220.00',
                asOf: '20240628',
              },
            ],
          },
        ],
        securities: [{ cusip: '037833100', ticker: 'AAPL', name: 'Apple Inc.' }],
      },
      { dialect: 'xml' },
    );
    const file = parsed(text);
    expect(file.statements.map((s) => s.account.accountType)).toEqual(['credit_card', 'brokerage']);
    const inv = file.statements[1]!;
    expect(inv.account).toMatchObject({
      cashBalance: 10000,
      balance: 32000,
      accountNumberMasked: '****8877',
    });
    expect(
      inv.transactions.map((t) => [t.providerTransactionId, t.subtype, t.amount, t.symbol, t.description]),
    ).toEqual([
      ['t1', 'buy', -20100, 'AAPL', 'Buy AAPL'],
      ['t2', 'capital_gain_long', 300, '999999999', 'Capital gain long 999999999'], // not in the security list
      ['b1', 'deposit', 50000, null, 'ACH IN'],
    ]);
    expect(inv.holdings).toEqual([
      expect.objectContaining({ symbol: 'AAPL', securityName: 'Apple Inc.', marketValue: 22000 }),
    ]);
  });

  it('names missing investment elements', () => {
    const doc = (trade: string) =>
      `<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><DTASOF>20240101<CURDEF>USD<INVACCTFROM><BROKERID>b<ACCTID>1</INVACCTFROM><INVTRANLIST>${trade}</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>`;
    const secId = '<SECID><UNIQUEID>1<UNIQUEIDTYPE>CUSIP</SECID>';
    const cases: [string, string][] = [
      [
        `<BUYSTOCK><INVBUY><INVTRAN><DTTRADE>20240101</INVTRAN>${secId}<UNITS>1<UNITPRICE>1<TOTAL>-1</INVBUY><BUYTYPE>BUY</BUYSTOCK>`,
        'FITID',
      ],
      [
        `<BUYSTOCK><INVBUY><INVTRAN><FITID>1</INVTRAN>${secId}<UNITS>1<UNITPRICE>1<TOTAL>-1</INVBUY><BUYTYPE>BUY</BUYSTOCK>`,
        'DTTRADE',
      ],
      [`<INCOME><INVTRAN><FITID>1<DTTRADE>20240101</INVTRAN>${secId}<INCOMETYPE>DIV</INCOME>`, 'TOTAL'],
      [
        `<BUYSTOCK><INVBUY><INVTRAN><FITID>1<DTTRADE>20240101</INVTRAN>${secId}<UNITS>one<TOTAL>-1</INVBUY></BUYSTOCK>`,
        'UNITS',
      ],
    ];
    for (const [trade, element] of cases) {
      const result = parseOfx(doc(trade));
      expect(result.ok ? null : result.error.extra?.element, element).toBe(element);
    }
    const position = parseOfx(
      doc('').replace(
        '</INVTRANLIST>',
        `</INVTRANLIST><INVPOSLIST><POSSTOCK><INVPOS>${secId}<UNITPRICE>1</INVPOS></POSSTOCK></INVPOSLIST>`,
      ),
    );
    expect(position.ok ? null : position.error.extra?.element).toBe('UNITS');
  });
});
