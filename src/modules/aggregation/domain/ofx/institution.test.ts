import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedFile } from '../parsed-file.js';
import { parseOfx } from './index.js';

/** What the institution says about its own answer: the sign-on and each statement's STATUS, and sign-on metadata. */

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

function parsed(input: Uint8Array | string): ParsedFile {
  const result = parseOfx(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const STATEMENT =
  '<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>12345<ACCTTYPE>CHECKING</BANKACCTFROM>' +
  '<BANKTRANLIST><DTSTART>20240101<DTEND>20240131' +
  '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-5.00<FITID>1<NAME>X</STMTTRN></BANKTRANLIST>' +
  '<LEDGERBAL><BALAMT>10.00<DTASOF>20240131</LEDGERBAL></STMTRS>';

const status = (code: string, severity: string, message?: string) =>
  `<STATUS><CODE>${code}<SEVERITY>${severity}${message ? `<MESSAGE>${message}` : ''}</STATUS>`;

function file(opts: { signon?: string; dtserver?: string; wrappers: string[] }): string {
  return [
    'OFXHEADER:100',
    'DATA:OFXSGML',
    'VERSION:102',
    '',
    '<OFX>',
    '<SIGNONMSGSRSV1><SONRS>',
    opts.signon ?? status('0', 'INFO'),
    `<DTSERVER>${opts.dtserver ?? '20240131120000'}<LANGUAGE>ENG<FI><ORG>Example Bank<FID>1234</FI>`,
    '</SONRS></SIGNONMSGSRSV1>',
    '<BANKMSGSRSV1>',
    ...opts.wrappers.map((w, i) => `<STMTTRNRS><TRNUID>${i + 1}${w}</STMTTRNRS>`),
    '</BANKMSGSRSV1>',
    '</OFX>',
    '',
  ].join('\r\n');
}

describe('sign-on metadata', () => {
  it('reads the statement when DTSERVER has a zone name without an offset, and warns about the date', () => {
    const text = file({ dtserver: '20091217162416.000[-:EST]', wrappers: [status('0', 'INFO') + STATEMENT] });
    const result = parsed(text);
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]!.transactions).toHaveLength(1);
    expect(result.statements[0]!.account.balance).toBe(1000);
    expect(result.metadata.serverDate).toBeNull();
    expect(result.metadata.institution).toEqual({ name: 'Example Bank', id: '1234' });
    expect(result.warnings).toEqual([
      {
        code: 'ofx_signon_metadata',
        message: 'line 8, <DTSERVER>: bad date "20091217162416.000[-:EST]"; the server date is left unknown',
        line: 8,
        column: 1,
        element: 'DTSERVER',
        path: 'OFX/SIGNONMSGSRSV1/SONRS',
      },
    ]);
  });

  it('has no warnings for a clean file', () => {
    expect(parsed(file({ wrappers: [status('0', 'INFO') + STATEMENT] })).warnings).toEqual([]);
  });
});

describe('institution statuses', () => {
  it('refuses a statement response that is an error, with the institution’s code and message', () => {
    const result = parseOfx(file({ wrappers: [status('2000', 'ERROR', 'General error: try again later')] }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      kind: 'unprocessable',
      code: 'ofx_institution_error',
      message:
        'line 11, <STATUS>: the institution answered with an error instead of a statement: ' +
        'status 2000 (ERROR) "General error: try again later"',
      extra: {
        institution_code: 2000,
        institution_severity: 'ERROR',
        institution_message: 'General error: try again later',
        line: 11,
        element: 'STATUS',
        path: 'OFX/BANKMSGSRSV1/STMTTRNRS',
      },
    });
  });

  it('refuses a refused sign-on, whatever follows it', () => {
    for (const wrappers of [[], [status('0', 'INFO') + STATEMENT]]) {
      const result = parseOfx(file({ signon: status('15500', 'ERROR', 'Signon invalid'), wrappers }));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({
        kind: 'unprocessable',
        code: 'ofx_institution_error',
        extra: {
          institution_code: 15500,
          institution_severity: 'ERROR',
          institution_message: 'Signon invalid',
        },
      });
      expect(result.error.message).toContain('the institution refused the sign-on: status 15500 (ERROR)');
    }
  });

  it('imports the statements it has when another one of the file is an error, and warns about that one', () => {
    const result = parsed(fixture('multi-account.ofx'));
    expect(result.statements).toHaveLength(3);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'ofx_statement_unavailable',
        message:
          'line 29, <STATUS>: the institution answered one statement request of the file with an error: ' +
          'status 2000 (ERROR) "Account temporarily unavailable"',
        element: 'STATUS',
      }),
    ]);
  });

  it('passes a warning status on, and reads the statement', () => {
    const result = parsed(file({ wrappers: [status('2019', 'WARN', 'Duplicate request') + STATEMENT] }));
    expect(result.statements).toHaveLength(1);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'ofx_institution_warning',
        message: 'line 11, <STATUS>: the institution warns: status 2019 (WARN) "Duplicate request"',
      }),
    ]);
  });
});
