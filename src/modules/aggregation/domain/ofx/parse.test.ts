import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type DocumentSpec,
  type WriteOptions,
  writeOfx,
} from '../../../../../sandbox/bank-files/write-ofx.js';
import type { ParsedFile } from '../parsed-file.js';
import { parseOfx } from './index.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

function parsed(input: Uint8Array | string): ParsedFile {
  const result = parseOfx(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const brief = (file: ParsedFile) =>
  file.statements.map((s) =>
    s.transactions.map((t) => [t.providerTransactionId, t.transactionDate, t.amount, t.description]),
  );

describe('parseOfx: bank statements', () => {
  it('maps an OFX 1.02 SGML checking statement completely', () => {
    const file = parsed(fixture('bank-sgml.ofx'));
    expect(file.metadata).toEqual({
      formatVersion: '102',
      institution: { name: 'B1', id: '10898' },
      intuitBankId: '10898',
      serverDate: '2024-01-31T17:00:00.000Z',
      currency: 'USD',
    });
    expect(file.statements).toHaveLength(1);
    const [statement] = file.statements;
    expect(statement!.account).toEqual({
      providerAccountId: expect.stringMatching(/^ofx_[0-9a-f]{32}$/),
      accountNumberMasked: '****6789',
      name: 'Checking ****6789',
      accountType: 'checking',
      currency: 'USD',
      balance: 432109,
      availableBalance: 400000,
      cashBalance: null,
      balanceAsOf: '2024-01-31T17:00:00.000Z',
      institution: { name: 'B1', id: '10898' },
      isActive: true,
    });
    expect(statement!.period).toEqual({ start: '2024-01-01', end: '2024-01-31' });
    expect(statement!.holdings).toEqual([]);
    expect(statement!.transactions).toEqual([
      {
        providerTransactionId: '202401020',
        transactionType: 'other',
        subtype: 'debit',
        status: 'settled',
        amount: -100660,
        currency: 'USD',
        description: 'ACME & SONS',
        memo: 'INVOICE 17',
        transactionDate: '2024-01-02',
        settlementDate: null,
        pendingTransactionId: null,
        checkNumber: null,
        symbol: null,
        quantity: null,
        unitPrice: null,
        commission: null,
      },
      expect.objectContaining({
        providerTransactionId: '202401051',
        subtype: 'check',
        checkNumber: '1042',
        amount: -25000,
      }),
      expect.objectContaining({ transactionType: 'transfer', subtype: 'direct_deposit', amount: 250000 }),
    ]);
  });

  it('reads a Chase-style one-line QFX credit card file and keeps reused FITIDs', () => {
    const file = parsed(fixture('chase-oneline.qfx'));
    const [card] = file.statements;
    expect(card!.account).toMatchObject({
      accountType: 'credit_card',
      accountNumberMasked: '****5678',
      balance: -231045, // owed: negative, as OFX writes it and the normalized convention wants
      availableBalance: 768955,
      balanceAsOf: '2024-03-05T12:00:00.000Z',
    });
    expect(file.metadata.intuitBankId).toBe('10898');
    expect(brief(file)).toEqual([
      [
        ['2024020224692164033100018453711', '2024-02-02', -4517, "TRADER JOE'S #552"],
        ['20240215000000', '2024-02-15', -3900, 'LATE FEE'],
        ['20240215000000', '2024-02-15', 1250, 'REWARDS CREDIT'],
        ['2024022030000000000', '2024-02-20', 150000, 'Payment Thank You-Mobile'],
      ],
    ]);
    expect(card!.transactions[1]).toMatchObject({ transactionType: 'fee', subtype: 'account_fee' });
  });

  it('decodes Windows-1252 payees', () => {
    const file = parsed(fixture('payee-1252.ofx'));
    expect(file.statements[0]!.account).toMatchObject({
      accountType: 'savings',
      currency: 'CAD',
      balance: 97025,
    });
    expect(file.statements[0]!.transactions.map((t) => [t.description, t.memo])).toEqual([
      ['CAFÉ D’ANTAN', 'Crème brûlée – 2 pers.'],
      ['L’ÉPICERIE & CIE', null],
    ]);
  });

  it('reads OFX 2.x XML with CDATA, character references, comments and empty elements', () => {
    const file = parsed(fixture('xml-cdata.ofx'));
    expect(file.metadata.formatVersion).toBe('220');
    expect(file.metadata.institution).toEqual({ name: 'First Example Bank', id: '1234' });
    const [pos, atm, interest] = file.statements[0]!.transactions;
    expect(pos).toMatchObject({
      description: 'AT&T <WIRELESS>',
      memo: 'Café été <ref> "Q1" \'24',
      transactionType: 'purchase',
      subtype: 'pos',
      transactionDate: '2024-03-05', // DTPOSTED, not DTUSER
    });
    expect(atm).toMatchObject({ subtype: 'atm', memo: null, amount: -6000 });
    expect(interest).toMatchObject({ transactionType: 'income', subtype: 'interest', amount: 42 });
    expect(file.statements[0]!.account.balanceAsOf).toBe('2024-04-01T03:59:59.000Z');
  });

  it('reads a CDATA payee like a plain one: blanks around the value are cut in every spelling', () => {
    const doc = (name: string): DocumentSpec => ({
      statements: [
        {
          kind: 'bank',
          accountId: '1234',
          transactions: [{ type: 'POS', posted: '20240305', amount: '-4.50', fitId: 'P1', name, memo: name }],
        },
      ],
    });
    const spellings: WriteOptions[] = [
      { dialect: 'sgml' },
      { dialect: 'xml' },
      { dialect: 'xml', cdata: true },
    ];
    for (const options of spellings) {
      const [txn] = parsed(writeOfx(doc(' \t BLUE BOTTLE  COFFEE \n'), options)).statements[0]!.transactions;
      expect([txn!.description, txn!.memo], JSON.stringify(options)).toEqual([
        'BLUE BOTTLE  COFFEE',
        'BLUE BOTTLE  COFFEE',
      ]);
    }
  });

  it('keeps posted dates in the file’s own zone, fractional offsets included', () => {
    const file = parsed(fixture('fractional-tz.ofx'));
    expect(file.statements[0]!.transactions.map((t) => t.transactionDate)).toEqual([
      '2024-01-31',
      '2024-03-01',
      '2024-12-31',
      '2024-02-29',
    ]);
    expect(file.metadata.serverDate).toBe('2024-02-29T19:00:00.000Z');
  });

  it('reads comma decimals, leading signs and zeros, and rounds extra decimals half-even', () => {
    const file = parsed(fixture('comma-decimals.ofx'));
    expect(file.statements[0]!.account).toMatchObject({ currency: 'EUR', balance: 351827 });
    expect(file.statements[0]!.transactions.map((t) => [t.amount, t.currency])).toEqual([
      [-100660, 'EUR'],
      [240000, 'EUR'],
      [-12, 'EUR'],
      [-14, 'EUR'],
    ]);
  });
});

describe('parseOfx: SGML with omitted end tags', () => {
  const statement = (close: string) =>
    [
      'OFXHEADER:100',
      'DATA:OFXSGML',
      'VERSION:102',
      '',
      '<OFX>',
      '<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240131</SONRS></SIGNONMSGSRSV1>',
      '<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>',
      '<STMTRS><CURDEF>USD',
      '<BANKACCTFROM><BANKID>021000021<ACCTID>555123<ACCTTYPE>CHECKING</BANKACCTFROM>',
      '<BANKTRANLIST><DTSTART>20240101<DTEND>20240131',
      '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240103<TRNAMT>-20.00<FITID>A1<NAME>GROCER</STMTTRN>',
      '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240115<TRNAMT>100.00<FITID>A2<NAME>PAYROLL</STMTTRN>',
      close,
      '<LEDGERBAL><BALAMT>580.00<DTASOF>20240131</LEDGERBAL>',
      '<AVAILBAL><BALAMT>560.00<DTASOF>20240131</AVAILBAL>',
      '</STMTRS></STMTTRNRS></BANKMSGSRSV1>',
      '</OFX>',
      '',
    ].join('\r\n');

  it('reads a transaction list whose end tag is omitted before the balances, as if it were there', () => {
    const closed = parsed(statement('</BANKTRANLIST>'));
    const open = parsed(statement(''));
    expect(open).toEqual(closed);
    expect(open.statements[0]!.transactions.map((t) => t.providerTransactionId)).toEqual(['A1', 'A2']);
    expect(open.statements[0]!.account).toMatchObject({ balance: 58000, availableBalance: 56000 });
    expect(open.statements[0]!.period).toEqual({ start: '2024-01-01', end: '2024-01-31' });
  });

  it('keeps XML strict: there an unclosed aggregate is malformed', () => {
    const xml = writeOfx(
      {
        statements: [
          { kind: 'bank', accountId: '1', transactions: [], ledger: { amount: '1', asOf: '20240131' } },
        ],
      },
      { dialect: 'xml' },
    ).replace('</BANKTRANLIST>', '');
    const result = parseOfx(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('expected </BANKTRANLIST>');
  });
});

describe('parseOfx: several accounts', () => {
  it('returns every account in a multi-account file, skipping a wrapper that holds only an error status', () => {
    const file = parsed(fixture('multi-account.ofx'));
    expect(
      file.statements.map((s) => [s.account.accountType, s.account.accountNumberMasked, s.account.balance]),
    ).toEqual([
      ['savings', '****4S01', 1050000],
      ['checking', '****4S10', 120000],
      ['credit_card', '****0004', -1999],
    ]);
    const ids = new Set(file.statements.map((s) => s.account.providerAccountId));
    expect(ids.size).toBe(3);
    for (const s of file.statements)
      expect(s.account.institution).toEqual({ name: 'Mountain CU', id: '3210' });
    expect(file.statements[1]!.transactions[1]).toMatchObject({
      subtype: 'hold',
      status: 'pending',
      amount: -7500,
    });
  });

  it('gives the same account the same id on every import, and never shows the number', () => {
    const a = parsed(fixture('multi-account.ofx'));
    const b = parsed(fixture('multi-account.ofx'));
    expect(a.statements.map((s) => s.account.providerAccountId)).toEqual(
      b.statements.map((s) => s.account.providerAccountId),
    );
    for (const s of a.statements) expect(s.account.providerAccountId).not.toMatch(/77001234|5500/);
  });
});
