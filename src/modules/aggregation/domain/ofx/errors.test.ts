import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Failure } from '../../../../kernel/result.js';
import { parseOfx } from './index.js';

const fixtureText = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');

function failed(input: string | Uint8Array): Failure {
  const result = parseOfx(input);
  if (result.ok) throw new Error('expected a failure');
  expect(result.error.kind).toBe('invalid');
  expect(result.error.code).toBe('ofx_malformed');
  return result.error;
}

const where = (f: Failure) => [f.extra?.line, f.extra?.element];

/** Line (1-based) of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('truncated files', () => {
  const text = fixtureText('bank-sgml.ofx');

  it('fail inside the innermost open aggregate, naming it and the line where it opened', () => {
    const cut = text.slice(0, text.indexOf('<TRNAMT>-250.00') + 10);
    const f = failed(cut);
    expect(where(f)).toEqual([lineOf(text, '<STMTTRN>\n<TRNTYPE>CHECK'), 'STMTTRN']);
    expect(f.message).toBe(`line ${f.extra?.line}, <STMTTRN>: unexpected end of file inside <STMTTRN>`);
    expect(f.extra?.path).toBe('OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN');
  });

  it('fail when only the closing </OFX> is missing or cut', () => {
    expect(where(failed(text.slice(0, text.lastIndexOf('</OFX>'))))).toEqual([lineOf(text, '<OFX>'), 'OFX']);
    expect(failed(text.slice(0, text.lastIndexOf('</OFX>') + 4)).message).toContain('unterminated tag');
  });

  it('fail when cut inside the header', () => {
    expect(where(failed(text.slice(0, 40)))).toEqual([1, 'OFX']);
    expect(where(failed(''))).toEqual([1, 'OFX']);
  });

  it('report the column too, which is what locates an error in a one-line file', () => {
    const oneLine = fixtureText('chase-oneline.qfx');
    const cut = oneLine.slice(0, oneLine.indexOf('<NAME>LATE FEE'));
    const f = failed(cut);
    const body = oneLine.split('\r\n')[10]!;
    expect(f.extra).toMatchObject({
      line: 11,
      element: 'STMTTRN',
      column: body.indexOf('<STMTTRN><TRNTYPE>FEE') + 1,
    });
  });
});

describe('structural errors', () => {
  const bank = (trn: string) =>
    `OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n\r\n<OFX>\r\n<BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\r\n<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\r\n<BANKTRANLIST>\r\n${trn}\r\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1>\r\n</OFX>\r\n`;
  const TRN_LINE = 9;

  it('names a mismatched closing tag and its line', () => {
    const f = failed(bank('<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-1<FITID>1</STMTTRNX>'));
    expect(where(f)).toEqual([TRN_LINE, 'STMTTRNX']);
    expect(f.message).toContain('mismatched closing tag </STMTTRNX>: expected </STMTTRN>');
  });

  it('names each missing required element', () => {
    const cases: [string, string][] = [
      ['<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-1</STMTTRN>', 'FITID'],
      ['<STMTTRN><TRNTYPE>DEBIT<TRNAMT>-1<FITID>1</STMTTRN>', 'DTPOSTED'],
      ['<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<FITID>1</STMTTRN>', 'TRNAMT'],
      ['<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT><FITID>1</STMTTRN>', 'TRNAMT'],
    ];
    for (const [trn, element] of cases) {
      const f = failed(bank(trn));
      expect(where(f), element).toEqual([TRN_LINE, element]);
      expect(f.message).toContain(`<STMTTRN> has no <${element}>`);
      expect(f.extra?.path).toBe('OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN');
    }
    const noAccount = failed(
      '<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
    );
    expect(noAccount.extra?.element).toBe('BANKACCTFROM');
    const noAcctId = failed(
      '<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTKEY>1</CCACCTFROM></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>',
    );
    expect(noAcctId.extra?.element).toBe('ACCTID');
  });

  it('names bad dates, amounts and currencies with the line of the element', () => {
    const cases: [string, string, string][] = [
      [
        '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>2024-01-01<TRNAMT>-1<FITID>1</STMTTRN>',
        'DTPOSTED',
        'bad date "2024-01-01"',
      ],
      [
        '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240230<TRNAMT>-1<FITID>1</STMTTRN>',
        'DTPOSTED',
        'bad date "20240230"',
      ],
      [
        '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>1,234.56<FITID>1</STMTTRN>',
        'TRNAMT',
        'bad amount "1,234.56"',
      ],
      ['<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>$5<FITID>1</STMTTRN>', 'TRNAMT', 'bad amount "$5"'],
      [
        '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>5<FITID>1<CURRENCY><CURRATE>1<CURSYM>ZZZ</CURRENCY></STMTTRN>',
        'CURSYM',
        'unknown currency "ZZZ"',
      ],
    ];
    for (const [trn, element, message] of cases) {
      const f = failed(bank(trn));
      expect(where(f), message).toEqual([TRN_LINE, element]);
      expect(f.message).toContain(message);
    }
  });

  it('rejects an unknown CURDEF and a CURDEF that comes after the amounts', () => {
    expect(where(failed(bank('').replace('<CURDEF>USD', '<CURDEF>XXY')))).toEqual([6, 'CURDEF']);
    const late = bank('').replace('<CURDEF>USD', '').replace('</BANKTRANLIST>', '</BANKTRANLIST><CURDEF>EUR');
    expect(failed(late).message).toContain('<CURDEF> must come before the amounts');
  });

  it('rejects content after </OFX>, a body that is not <OFX>, and non-OFX files', () => {
    expect(failed(`${bank('')}<OFX>`).message).toContain('unexpected <OFX> after </OFX>');
    expect(failed(`${bank('')}garbage`).message).toContain('unexpected text "garbage" outside <OFX>');
    expect(failed('OFXHEADER:100\n\n<SIGNONMSGSRSV1></SIGNONMSGSRSV1>').message).toContain('expected <OFX>');
    expect(failed(Buffer.from('%PDF-1.7')).message).toContain('not an OFX file');
  });

  it('accepts trailing whitespace and NULs after </OFX>', () => {
    expect(parseOfx(`${bank('')}\r\n\n\u0000\u0000`).ok).toBe(true);
  });
});
