import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOfx, detectOfx, readHeader } from './decode.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const SGML = (charset: string, encoding = 'USASCII') =>
  `OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:${encoding}\nCHARSET:${charset}\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n`;

describe('readHeader', () => {
  it('reads an SGML header one key per line or all on one line', () => {
    expect(readHeader(`${SGML('1252')}<OFX>`)).toEqual({
      kind: 'sgml',
      version: '102',
      charset: 'windows-1252',
    });
    expect(readHeader('OFXHEADER:100 DATA:OFXSGML VERSION:151 ENCODING:UTF-8 CHARSET:NONE <OFX>')).toEqual({
      kind: 'sgml',
      version: '151',
      charset: 'utf-8',
    });
    expect(readHeader(`\r\n  ${SGML('NONE')}<OFX>`)).toEqual({ kind: 'sgml', version: '102', charset: null });
  });

  it('reads an XML declaration and the OFX processing instruction', () => {
    const head = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<?OFX OFXHEADER="200" VERSION="211"?>\n<OFX>';
    expect(readHeader(head)).toEqual({ kind: 'xml', version: '211', charset: 'iso-8859-1' });
    expect(readHeader('<?OFX OFXHEADER="200" VERSION="220"?><OFX>')).toEqual({
      kind: 'xml',
      version: '220',
      charset: 'utf-8',
    });
  });

  it('accepts a headerless <OFX> body and rejects other content', () => {
    expect(readHeader('\n<OFX><SIGNONMSGSRSV1>')).toEqual({ kind: 'bare', version: null, charset: null });
    expect(readHeader('<?xml version="1.0"?><html><body>hi</body></html>')).toBeUndefined();
    expect(readHeader('Date,Description,Amount\n2024-01-01,Coffee,-3.50\n')).toBeUndefined();
    expect(readHeader('')).toBeUndefined();
  });
});

describe('detectOfx', () => {
  it('recognizes every fixture and rejects other files', () => {
    for (const name of [
      'bank-sgml.ofx',
      'chase-oneline.qfx',
      'xml-cdata.ofx',
      'payee-1252.ofx',
      'investment.ofx',
    ]) {
      expect(detectOfx(fixture(name)), name).toBe(true);
    }
    expect(detectOfx(bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'))).toBe(false);
    expect(detectOfx(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(false);
    expect(detectOfx(bytes('Date,Description,Amount\n'))).toBe(false);
    expect(detectOfx(new Uint8Array())).toBe(false);
  });

  it('sees through byte-order marks', () => {
    expect(detectOfx(bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0"?><?OFX OFXHEADER="200"?><OFX>'))).toBe(
      true,
    );
    expect(detectOfx(Buffer.from('\ufeffOFXHEADER:100\n<OFX>', 'utf16le'))).toBe(true);
  });
});

describe('decodeOfx', () => {
  it('decodes CHARSET:1252, including the 0x80-0x9F punctuation Latin-1 lacks', () => {
    const text = decodeOfx(
      bytes(SGML('1252'), '<OFX><NAME>CAF', [0xc9, 0x20, 0x44, 0x92], 'ANTAN ', [0x80, 0x96], '</OFX>'),
    );
    expect(text?.text).toContain('<NAME>CAFÉ D’ANTAN €–</OFX>');
  });

  it('decodes ISO-8859-1 with the Windows-1252 table, as browsers do', () => {
    const text = decodeOfx(bytes(SGML('ISO-8859-1'), '<OFX><NAME>', [0xe9, 0x92], '</OFX>'));
    expect(text?.text).toContain('<NAME>é’</OFX>');
  });

  it('decodes UTF-8 when declared, and falls back to Windows-1252 when the bytes are not UTF-8', () => {
    const utf8 = decodeOfx(Buffer.from(`${SGML('NONE', 'UTF-8')}<OFX><NAME>Café ’</OFX>`, 'utf8'));
    expect(utf8?.text).toContain('<NAME>Café ’</OFX>');
    const mislabeled = decodeOfx(bytes(SGML('NONE', 'UTF-8'), '<OFX><NAME>Caf', [0xe9], '</OFX>'));
    expect(mislabeled?.text).toContain('<NAME>Café</OFX>');
  });

  it('sniffs CHARSET:NONE and headerless files: UTF-8 if valid, else Windows-1252', () => {
    expect(decodeOfx(Buffer.from(`${SGML('NONE')}<OFX><NAME>Zoë</OFX>`, 'utf8'))?.text).toContain('Zoë');
    expect(decodeOfx(bytes('<OFX><NAME>Zo', [0xeb], '</OFX>'))?.text).toContain('Zoë');
  });

  it('decodes XML by its declaration (UTF-8 by default) and UTF-16 by its byte-order mark', () => {
    const xml = '<?xml version="1.0"?><?OFX OFXHEADER="200" VERSION="220"?><OFX><NAME>Ærø</NAME></OFX>';
    expect(decodeOfx(Buffer.from(xml, 'utf8'))?.text).toContain('Ærø');
    const latin = `<?xml version="1.0" encoding="ISO-8859-1"?><?OFX OFXHEADER="200"?><OFX><NAME>${'\u00c6r\u00f8'}</NAME></OFX>`;
    expect(decodeOfx(Buffer.from(latin, 'latin1'))?.text).toContain('Ærø');
    expect(decodeOfx(Buffer.from(`\ufeff${xml}`, 'utf16le'))?.text).toContain('Ærø');
  });

  it('starts the body after an SGML header and returns undefined for other content', () => {
    const decoded = decodeOfx(bytes(SGML('1252'), '<OFX></OFX>'));
    expect(decoded?.text.slice(decoded.bodyStart)).toBe('<OFX></OFX>');
    expect(decodeOfx(bytes('hello'))).toBeUndefined();
  });
});
