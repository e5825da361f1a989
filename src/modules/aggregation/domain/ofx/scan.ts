import { internedName } from './schema.js';

/** Character-level helpers shared by the reader and its look-ahead. */

export const LT = 60; // <
export const GT = 62; // >
export const SLASH = 47;
export const BANG = 33;
export const QUESTION = 63;

export const isBlankCode = (c: number): boolean => c <= 32;

export function isBlank(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBlankCode(s.charCodeAt(i))) return false;
  return true;
}

/**
 * A leaf value without the blanks around it. The one rule for every spelling of a value (plain text, character
 * references, CDATA sections), so a payee reads the same however the file wrote it.
 */
export function trimBlank(value: string): string {
  let a = 0;
  let b = value.length;
  while (a < b && isBlankCode(value.charCodeAt(a))) a++;
  while (b > a && isBlankCode(value.charCodeAt(b - 1))) b--;
  return a === 0 && b === value.length ? value : value.slice(a, b);
}

// Tag names: letters, digits, '.', '_', '-', ':' (INTU.BID, XML namespaces).
function isNameCode(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 95 ||
    c === 45 ||
    c === 58
  );
}

/** End (exclusive) of the tag name starting at `from`. */
export function nameEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && isNameCode(s.charCodeAt(i))) i++;
  return i;
}

export function readName(s: string, from: number, to: number): string {
  const known = internedName(s, from, to);
  if (known !== undefined) return known;
  const name = s.slice(from, to);
  // OFX names are upper case; a few generators write lower case, which means the same element.
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return name.toUpperCase();
  }
  return name;
}

/**
 * Whether an unknown empty element (start tag at `lt`) is closed before its parent is. Scans ahead with its own
 * stack; a closing tag that matches nothing opened since belongs to `name` or to an ancestor. The scan settles
 * every element it passes, and those results are kept, so nested or sibling unknown elements are never scanned
 * twice and the reader stays linear even on hostile input.
 */
export function closesBeforeParent(
  s: string,
  lt: number,
  name: string,
  from: number,
  settled: Map<number, boolean>,
): boolean {
  const opened: string[] = [];
  const openedAt: number[] = [];
  const settle = (closed: boolean): boolean => {
    for (const at of openedAt) settled.set(at, false);
    settled.set(lt, closed);
    return closed;
  };
  let p = from;
  for (;;) {
    const tagAt = s.indexOf('<', p);
    if (tagAt === -1) return settle(false);
    const c = s.charCodeAt(tagAt + 1);
    if (c === BANG || c === QUESTION) {
      const terminator = s.startsWith('<![CDATA[', tagAt) ? ']]>' : s.startsWith('<!--', tagAt) ? '-->' : '>';
      const end = s.indexOf(terminator, tagAt + 2);
      if (end === -1) return settle(false);
      p = end + terminator.length;
      continue;
    }
    const nameFrom = c === SLASH ? tagAt + 2 : tagAt + 1;
    const to = nameEnd(s, nameFrom);
    const gt = s.indexOf('>', to);
    if (gt === -1) return settle(false);
    const tag = readName(s, nameFrom, to);
    if (c === SLASH) {
      const i = opened.lastIndexOf(tag);
      if (i === -1) return settle(tag === name);
      for (let k = i + 1; k < openedAt.length; k++) settled.set(openedAt[k]!, false);
      settled.set(openedAt[i]!, true);
      opened.length = i;
      openedAt.length = i;
    } else if (s.charCodeAt(gt - 1) !== SLASH) {
      opened.push(tag);
      openedAt.push(tagAt);
    }
    p = gt + 1;
  }
}
