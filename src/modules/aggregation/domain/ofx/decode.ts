/**
 * Recognizing an OFX file and turning its bytes into text.
 *
 * OFX 1.x starts with a plain-text header (`OFXHEADER:100`, `ENCODING:USASCII`, `CHARSET:1252`, ...), one key per
 * line or, in some exports, all on one line. OFX 2.x starts with `<?xml ...?>` and `<?OFX OFXHEADER="200" ...?>`.
 * Some generators omit the header and start at `<OFX>`.
 *
 * Character set, in order: a byte-order mark; the header (ENCODING:UTF-8, CHARSET:1252 / ISO-8859-1, the XML
 * declaration's encoding, XML defaulting to UTF-8); otherwise (CHARSET:NONE, no header) UTF-8 when the bytes are
 * valid UTF-8, else Windows-1252. Text declared UTF-8 that is not valid UTF-8 is read as Windows-1252, the usual
 * mislabel. ISO-8859-1 is decoded with the Windows-1252 table, as browsers do (the WHATWG Encoding Standard): it is
 * identical except for 0x80-0x9F, where real files carry Windows-1252 punctuation such as ’ (0x92).
 */

import { TextDecoder } from 'node:util';

export interface OfxHeader {
  kind: 'sgml' | 'xml' | 'bare';
  /** VERSION from either header style, e.g. `102`, `220`. */
  version: string | null;
  /** Decoder label the header asks for, if it names one we can use. */
  charset: string | null;
}

export interface OfxText {
  text: string;
  /** Where the body starts (after an SGML header); line numbers still count from the top of the file. */
  bodyStart: number;
  header: OfxHeader;
}

const HEAD_LENGTH = 4096;

const SGML_CHARSETS: Record<string, string> = {
  '1252': 'windows-1252',
  'WINDOWS-1252': 'windows-1252',
  CP1252: 'windows-1252',
  'ISO-8859-1': 'windows-1252',
  '8859-1': 'windows-1252',
  ISO8859_1: 'windows-1252',
  LATIN1: 'windows-1252',
  'UTF-8': 'utf-8',
};

/** Reads the header at the start of `head` (text decoded as Latin-1, or the decoded file). */
export function readHeader(head: string): OfxHeader | undefined {
  const start = head.search(/\S/);
  if (start === -1) return undefined;
  if (/^OFXHEADER\s*:/i.test(head.slice(start, start + 16))) {
    const end = head.indexOf('<', start);
    const fields = new Map<string, string>();
    for (const m of head.slice(start, end === -1 ? head.length : end).matchAll(/([A-Za-z]+)\s*:\s*(\S*)/g)) {
      fields.set(m[1]!.toUpperCase(), m[2]!.toUpperCase());
    }
    const encoding = fields.get('ENCODING') ?? '';
    const charset =
      encoding === 'UTF-8' || encoding === 'UNICODE'
        ? 'utf-8'
        : (SGML_CHARSETS[fields.get('CHARSET') ?? ''] ?? null);
    return { kind: 'sgml', version: fields.get('VERSION') ?? null, charset };
  }
  const ofxPi = /<\?OFX\b[^>]*>/i.exec(head);
  if (/^<\?xml\b/i.test(head.slice(start, start + 5)) || ofxPi) {
    const encoding = /<\?xml\b[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? 'utf-8';
    const version = ofxPi ? (/\bVERSION\s*=\s*["']([^"']*)["']/i.exec(ofxPi[0])?.[1] ?? null) : null;
    if (!ofxPi && !/<OFX>/i.test(head)) return undefined; // some other XML document
    return { kind: 'xml', version, charset: encoding.toLowerCase() };
  }
  if (/<OFX>/i.test(head)) return { kind: 'bare', version: null, charset: null };
  return undefined;
}

function byteOrderMark(bytes: Uint8Array): { label: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', length: 2 };
  return null;
}

function headText(bytes: Uint8Array): string {
  const bom = byteOrderMark(bytes);
  if (bom && bom.label !== 'utf-8')
    return new TextDecoder(bom.label).decode(bytes.subarray(0, HEAD_LENGTH * 2));
  return new TextDecoder('latin1').decode(bytes.subarray(bom?.length ?? 0, (bom?.length ?? 0) + HEAD_LENGTH));
}

/** Whether the bytes look like an OFX or QFX file (header or `<OFX>` within the first few kilobytes). */
export function detectOfx(bytes: Uint8Array): boolean {
  return readHeader(headText(bytes)) !== undefined;
}

function decoderFor(label: string, fatal: boolean): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return undefined; // a label TextDecoder does not know
  }
}

// Windows-1252 0x80-0x9F. Node 20's TextDecoder('windows-1252') returns these bytes as C1 controls (it decodes
// plain Latin-1), so they are mapped here; with a conforming decoder there is nothing left to map. The five
// bytes 1252 leaves undefined stay as the control characters the standard maps them to.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const text = new TextDecoder('windows-1252').decode(bytes);
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function decodeText(bytes: Uint8Array, label: string | null): string {
  const bom = byteOrderMark(bytes);
  if (bom) return new TextDecoder(bom.label).decode(bytes);
  const declared = (label ? decoderFor(label, true) : undefined) ?? decoderFor('utf-8', true)!;
  if (declared.encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (declared.encoding !== 'utf-8') return declared.decode(bytes);
  try {
    return declared.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/** Decodes an OFX file, or undefined when the bytes are not recognizably OFX. */
export function decodeOfx(bytes: Uint8Array): OfxText | undefined {
  const header = readHeader(headText(bytes));
  if (!header) return undefined;
  return fromText(decodeText(bytes, header.charset), header);
}

/** Already-decoded text (tests, callers that hold a string). */
export function ofxFromString(text: string): OfxText | undefined {
  const header = readHeader(text.slice(0, HEAD_LENGTH));
  return header ? fromText(text, header) : undefined;
}

function fromText(text: string, header: OfxHeader): OfxText {
  const bodyStart = header.kind === 'sgml' ? Math.max(0, text.indexOf('<')) : 0;
  return { text, bodyStart, header };
}
