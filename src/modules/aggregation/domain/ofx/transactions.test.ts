import { describe, expect, it } from 'vitest';
import type { ParsedFile } from '../parsed-file.js';
import { parseOfx } from './index.js';

/** A one-account SGML file around the given BANKTRANLIST content. */
const bankFile = (transactions: string, { curdef = 'USD', extra = '' } = {}) =>
  `OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:1252\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>${curdef}<BANKACCTFROM><BANKID>1<ACCTID>12345<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20240131\n${transactions}\n</BANKTRANLIST>${extra}<LEDGERBAL><BALAMT>0<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;

const trn = (fields: string) => `<STMTTRN>${fields}</STMTTRN>`;

function parsed(text: string): ParsedFile {
  const result = parseOfx(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const transactionsOf = (text: string) => parsed(text).statements[0]!.transactions;

describe('transaction types', () => {
  it('maps every TRNTYPE to a normalized type and subtype; the sign comes from TRNAMT', () => {
    const types = [
      ['CREDIT', 'other', 'credit'],
      ['DEBIT', 'other', 'debit'],
      ['INT', 'income', 'interest'],
      ['DIV', 'income', 'dividend'],
      ['FEE', 'fee', 'account_fee'],
      ['SRVCHG', 'fee', 'service_charge'],
      ['DEP', 'transfer', 'deposit'],
      ['ATM', 'transfer', 'atm'],
      ['POS', 'purchase', 'pos'],
      ['XFER', 'transfer', 'transfer'],
      ['CHECK', 'payment', 'check'],
      ['PAYMENT', 'payment', 'electronic_payment'],
      ['CASH', 'transfer', 'cash_withdrawal'],
      ['DIRECTDEP', 'transfer', 'direct_deposit'],
      ['DIRECTDEBIT', 'payment', 'direct_debit'],
      ['REPEATPMT', 'payment', 'repeating_payment'],
      ['HOLD', 'adjustment', 'hold'],
      ['OTHER', 'other', 'other'],
      ['SOMETHINGNEW', 'other', 'other'],
    ];
    const body = types
      .map(([type], i) => trn(`<TRNTYPE>${type}<DTPOSTED>20240102<TRNAMT>-1<FITID>F${i}`))
      .join('');
    const result = transactionsOf(bankFile(body));
    expect(result.map((t) => [t.transactionType, t.subtype])).toEqual(
      types.map(([, type, subtype]) => [type, subtype]),
    );
    expect(result.filter((t) => t.status === 'pending').map((t) => t.subtype)).toEqual(['hold']);
  });
});

describe('transaction fields', () => {
  it('prefers EXTDNAME, then NAME, then PAYEE/NAME, then MEMO for the description', () => {
    const result = transactionsOf(
      bankFile(
        [
          trn(
            '<TRNTYPE>DEBIT<DTPOSTED>20240102<TRNAMT>-1<FITID>1<NAME>SHORT NAME<EXTDNAME>The Full Extended Name',
          ),
          trn(
            '<TRNTYPE>DEBIT<DTPOSTED>20240102<TRNAMT>-1<FITID>2<PAYEE><NAME>Payee Inc<ADDR1>1 Main St<CITY>X</PAYEE>',
          ),
          trn('<TRNTYPE>DEBIT<DTPOSTED>20240102<TRNAMT>-1<FITID>3<MEMO>memo only'),
          trn('<TRNTYPE>DEBIT<DTPOSTED>20240102<TRNAMT>-1<FITID>4'),
        ].join(''),
      ),
    );
    expect(result.map((t) => [t.description, t.memo])).toEqual([
      ['The Full Extended Name', null],
      ['Payee Inc', null],
      ['memo only', 'memo only'],
      ['DEBIT', null],
    ]);
  });

  it('takes a transaction’s CURRENCY as its currency; ORIGCURRENCY leaves the amount in CURDEF', () => {
    const result = transactionsOf(
      bankFile(
        [
          trn(
            '<TRNTYPE>POS<DTPOSTED>20240102<TRNAMT>-1500<FITID>1<CURRENCY><CURRATE>0.0067<CURSYM>JPY</CURRENCY>',
          ),
          trn(
            '<TRNTYPE>POS<DTPOSTED>20240102<TRNAMT>-10.05<FITID>2<ORIGCURRENCY><CURRATE>1.08<CURSYM>EUR</ORIGCURRENCY>',
          ),
          trn(
            '<TRNTYPE>POS<DTPOSTED>20240102<TRNAMT>-3.1234<FITID>3<CURRENCY><CURRATE>1<CURSYM>KWD</CURRENCY>',
          ),
        ].join(''),
      ),
    );
    expect(result.map((t) => [t.amount, t.currency])).toEqual([
      [-1500, 'JPY'],
      [-1005, 'USD'],
      [-3123, 'KWD'], // three decimals, half-even
    ]);
  });

  it('uses the statement currency’s exponent', () => {
    const result = transactionsOf(
      bankFile(trn('<TRNTYPE>DEBIT<DTPOSTED>20240102<TRNAMT>-1500<FITID>1'), { curdef: 'JPY' }),
    );
    expect(result[0]).toMatchObject({ amount: -1500, currency: 'JPY' });
  });

  it('keeps duplicate FITIDs, even identical transactions, in file order', () => {
    const same = trn('<TRNTYPE>FEE<DTPOSTED>20240102<TRNAMT>-5.00<FITID>DUP<NAME>ATM FEE');
    const result = transactionsOf(
      bankFile(same + same + trn('<TRNTYPE>CREDIT<DTPOSTED>20240102<TRNAMT>5.00<FITID>DUP')),
    );
    expect(result.map((t) => [t.providerTransactionId, t.amount])).toEqual([
      ['DUP', -500],
      ['DUP', -500],
      ['DUP', 500],
    ]);
  });

  it('applies corrections: DELETE cancels the corrected FITID, REPLACE names the one it supersedes', () => {
    const result = transactionsOf(
      bankFile(
        [
          trn('<TRNTYPE>DEBIT<DTPOSTED>20240103<TRNAMT>-9<FITID>NEW1<CORRECTFITID>OLD1<CORRECTACTION>DELETE'),
          trn(
            '<TRNTYPE>DEBIT<DTPOSTED>20240103<TRNAMT>-8<FITID>NEW2<CORRECTFITID>OLD2<CORRECTACTION>REPLACE',
          ),
        ].join(''),
      ),
    );
    expect(result.map((t) => [t.providerTransactionId, t.status, t.pendingTransactionId])).toEqual([
      ['OLD1', 'cancelled', null],
      ['NEW2', 'settled', 'OLD2'],
    ]);
  });

  it('reads the OFX 2.1 pending list with content-derived ids, stable across imports', () => {
    const pending = `<BANKTRANLISTP><DTASOF>20240131${[1, 2].map(() => '<STMTTRNP><TRNTYPE>POS<DTTRAN>20240130<TRNAMT>-4.50<NAME>COFFEE</STMTTRNP>').join('')}</BANKTRANLISTP>`;
    const text = bankFile(trn('<TRNTYPE>DEBIT<DTPOSTED>20240102<TRNAMT>-1<FITID>1'), { extra: pending });
    const result = transactionsOf(text);
    expect(result.map((t) => [t.status, t.transactionDate, t.amount])).toEqual([
      ['settled', '2024-01-02', -100],
      ['pending', '2024-01-30', -450],
      ['pending', '2024-01-30', -450],
    ]);
    const ids = result.slice(1).map((t) => t.providerTransactionId);
    expect(ids[0]).toMatch(/^pending_[0-9a-f]{32}$/);
    expect(ids[0]).not.toBe(ids[1]); // two identical coffees are two items
    expect(
      transactionsOf(text)
        .slice(1)
        .map((t) => t.providerTransactionId),
    ).toEqual(ids);
  });

  it('ignores unknown elements, including vendor aggregates and empty leaves, wherever they are', () => {
    const result = transactionsOf(
      bankFile(
        trn(
          '<TRNTYPE>DEBIT<INTU.XTNPENDING><DTPOSTED>20240102<INTU.EXT><NAME>not the payee<DEEP><X>1</DEEP></INTU.EXT><TRNAMT>-1<FITID>1<NAME>real<SIC>5411',
        ),
      ),
    );
    expect(result).toEqual([
      expect.objectContaining({ description: 'real', amount: -100, providerTransactionId: '1' }),
    ]);
  });

  it('accepts lower-case tags, a headerless file and XML with SGML-style leaves', () => {
    const lower =
      '<ofx><bankmsgsrsv1><stmttrnrs><stmtrs><curdef>USD<bankacctfrom><bankid>1<acctid>99<accttype>SAVINGS</bankacctfrom><banktranlist><stmttrn><trntype>INT<dtposted>20240102<trnamt>0.01<fitid>1</stmttrn></banktranlist></stmtrs></stmttrnrs></bankmsgsrsv1></ofx>';
    expect(transactionsOf(lower)).toEqual([expect.objectContaining({ subtype: 'interest', amount: 1 })]);
    const mixed = `<?xml version="1.0"?><?OFX OFXHEADER="200" VERSION="200"?>${lower.toUpperCase()}`;
    expect(transactionsOf(mixed)).toHaveLength(1);
  });

  it('reports a statement without a transaction list as an account with no transactions', () => {
    const text =
      '<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>4111111111111111</CCACCTFROM><LEDGERBAL><BALAMT>-10<DTASOF>20240101</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>';
    const [statement] = parsed(text).statements;
    expect(statement).toMatchObject({
      transactions: [],
      period: null,
      account: { balance: -1000, accountType: 'credit_card' },
    });
  });

  it('returns no statements for a file with none', () => {
    const file = parsed('<OFX><SIGNONMSGSRSV1><SONRS><DTSERVER>20240101</SONRS></SIGNONMSGSRSV1></OFX>');
    expect(file.statements).toEqual([]);
    expect(file.metadata.currency).toBeNull();
  });
});
