const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes XML/SGML character references in leaf text. SGML exports often carry a bare `&` ("AT&T", "B & B"), so
 * anything that is not a well-formed reference stays as written rather than failing the file.
 */
export function decodeEntities(text: string): string {
  let out = '';
  let from = 0;
  let amp = text.indexOf('&');
  while (amp !== -1) {
    const semi = text.indexOf(';', amp + 1);
    const decoded = semi === -1 || semi - amp > 10 ? undefined : reference(text.slice(amp + 1, semi));
    if (decoded !== undefined) {
      out += text.slice(from, amp) + decoded;
      from = semi + 1;
    }
    amp = text.indexOf('&', decoded === undefined ? amp + 1 : from);
  }
  return from === 0 ? text : out + text.slice(from);
}

function reference(body: string): string | undefined {
  if (body.charCodeAt(0) !== 35 /* # */) return Object.hasOwn(NAMED, body) ? NAMED[body] : undefined;
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1);
  if (digits.length === 0 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? String.fromCodePoint(code) : undefined;
}
