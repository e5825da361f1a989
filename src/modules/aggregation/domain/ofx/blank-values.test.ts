import { describe, expect, it } from 'vitest';
import { writeOfx } from '../../../../../sandbox/bank-files/write-ofx.js';
import type { ParsedFile } from '../parsed-file.js';
import { parseOfx } from './index.js';

/** A blank optional value (`<BALAMT> </BALAMT>`, an SGML `<BALAMT>` with no text) is an unknown value. */

function parsed(input: string): ParsedFile {
  const result = parseOfx(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const bank = (balances: string) =>
  `OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>12345<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240101<DTEND>20240131
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-5.00<FITID>1<NAME>X</STMTTRN>
</BANKTRANLIST>
${balances}
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n`;

describe('blank values', () => {
  it('reads a blank balance as an unknown balance, like an absent one, in SGML and XML', () => {
    const spellings = [
      '<LEDGERBAL><BALAMT> </BALAMT><DTASOF>20240131</LEDGERBAL>',
      '<LEDGERBAL><BALAMT>\r\n<DTASOF>20240131\r\n</LEDGERBAL>',
      '<LEDGERBAL><BALAMT/><DTASOF>20240131</LEDGERBAL>',
      '<LEDGERBAL><DTASOF>20240131</LEDGERBAL>',
      '',
    ];
    for (const balances of spellings) {
      const [statement] = parsed(bank(balances)).statements;
      expect(statement!.account, balances).toMatchObject({
        balance: null,
        availableBalance: null,
        balanceAsOf: null,
      });
      expect(statement!.transactions).toHaveLength(1);
    }
    const xml = writeOfx(
      {
        statements: [
          {
            kind: 'bank',
            accountId: '1',
            transactions: [],
            ledger: { amount: ' ', asOf: '20240131' },
            available: { amount: '25.00', asOf: '20240130' },
          },
        ],
      },
      { dialect: 'xml' },
    );
    expect(parsed(xml).statements[0]!.account).toMatchObject({
      balance: null,
      availableBalance: 2500,
      balanceAsOf: '2024-01-30T00:00:00.000Z',
    });
  });

  it('reads blank cash, price and market value in an investment statement as unknown', () => {
    const text = writeOfx(
      {
        statements: [
          {
            kind: 'investment',
            brokerId: 'broker.example',
            accountId: '99',
            asOf: '20240628',
            trades: [
              {
                tag: 'BUYSTOCK',
                fitId: 'T1',
                tradeDate: '20240603',
                cusip: '037833100',
                units: '10',
                unitPrice: ' ',
                total: '-1940.30',
              },
            ],
            positions: [
              {
                tag: 'POSSTOCK',
                cusip: '037833100',
                units: '10',
                unitPrice: '',
                marketValue: '',
                asOf: '20240628',
              },
            ],
            availableCash: ' ',
          },
        ],
        securities: [{ cusip: '037833100', ticker: 'AAPL', name: 'Apple Inc.' }],
      },
      { dialect: 'xml' },
    );
    const [statement] = parsed(text).statements;
    expect(statement!.account).toMatchObject({ cashBalance: null, balance: null });
    expect(statement!.holdings).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: '10', currentPrice: null, marketValue: null }),
    ]);
    expect(statement!.transactions[0]).toMatchObject({ quantity: '10', unitPrice: null, amount: -194030 });
  });
});
