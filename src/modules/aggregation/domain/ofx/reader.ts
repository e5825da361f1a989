import { decodeEntities } from './entities.js';
import { OfxSyntaxError } from './errors.js';
import {
  BANG,
  closesBeforeParent,
  GT,
  isBlank,
  isBlankCode,
  LT,
  nameEnd,
  QUESTION,
  readName,
  SLASH,
  trimBlank,
} from './scan.js';
import { isKnownAggregate, parentsOf } from './schema.js';

/** Token kinds returned by `Reader.next()`. Plain numbers so the hot loop compares integers. */
export const LEAF = 1;
export const START = 2;
export const END = 3;
export const EOF = 4;
export type Token = typeof LEAF | typeof START | typeof END | typeof EOF;

/**
 * A pull reader over an OFX body that serves SGML (OFX 1.x) and XML (OFX 2.x) alike. Each `next()` returns one of:
 * LEAF (`name`, `value`), START of an aggregate (`name`), END of the innermost open aggregate, or EOF.
 *
 * SGML leaves have no closing tag, so an element is classified when its start tag is read:
 * - text follows it: a leaf (an optional `</NAME>` right after is consumed);
 * - it is a known aggregate: START, and its `</NAME>` is then mandatory (in XML; SGML may omit it, see below);
 * - `</NAME>` follows at once, or it is self-closing: an empty leaf;
 * - otherwise (an unknown, empty element): OFX aggregates always carry end tags, so it is an aggregate exactly when
 *   its end tag comes before its parent's; we look ahead to decide. Unknown content is skipped by the consumer.
 *
 * Closing tags must match the innermost open aggregate; anything else is a structural error. In SGML files an end
 * tag may be omitted (see the constructor), but one that closes nothing open still fails, and so does end of file
 * inside an aggregate (a truncated file). Per token, only the leaf value is allocated: known names are matched in
 * place and shared (schema.ts), closing tags compared in place.
 */
export class Reader {
  /** Name of the current token (LEAF, START, END). */
  name = '';
  /** Value of the current LEAF. */
  value = '';
  /** Offset of the current token's `<`, for error positions. */
  at = 0;
  private pos: number;
  private readonly stack: string[] = [];
  private readonly starts: number[] = [];
  private pendingEnd = false;
  /** Look-ahead results by start-tag offset: true when that element is closed (an aggregate). */
  private readonly lookedAhead = new Map<number, boolean>();

  /**
   * `sgml`: the file is OFX 1.x, where an aggregate's end tag may be left out (SGML's omitted end tags): an
   * aggregate left open closes when an ancestor closes, or when an aggregate starts that only an ancestor may hold.
   * XML files (OFX 2.x) must close every aggregate.
   */
  constructor(
    private readonly src: string,
    from: number,
    private readonly sgml = false,
  ) {
    this.pos = from;
  }

  /** Number of open aggregates. */
  get depth(): number {
    return this.stack.length;
  }

  /** Name of an open aggregate counted from the innermost (0), or '' above the root. */
  open(k: number): string {
    return this.stack[this.stack.length - 1 - k] ?? '';
  }

  /** Slash-separated names of the open aggregates, for error messages. */
  path(): string {
    return this.stack.join('/');
  }

  fail(
    message: string,
    element: string = this.name,
    at: number = this.at,
    path: string = this.path(),
  ): never {
    throw new OfxSyntaxError(message, element, at, path);
  }

  next(): Token {
    if (this.pendingEnd) {
      this.pendingEnd = false;
      return this.popEnd(this.at);
    }
    const s = this.src;
    let p = this.pos;
    for (;;) {
      const lt = s.indexOf('<', p);
      const textEnd = lt === -1 ? s.length : lt;
      if (textEnd > p && !isBlank(s, p, textEnd)) this.unexpectedText(p, textEnd);
      if (lt === -1) return this.endOfFile();
      const c = s.charCodeAt(lt + 1);
      if (c === BANG || c === QUESTION) {
        p = this.skipMarkup(lt);
        continue;
      }
      this.at = lt;
      return c === SLASH ? this.closeTag(lt) : this.openTag(lt);
    }
  }

  /** After a START: consumes the aggregate's whole content and its END. */
  skip(): void {
    const depth = this.stack.length;
    for (;;) {
      if (this.next() === END && this.stack.length === depth - 1) return;
    }
  }

  private endOfFile(): Token {
    this.pos = this.src.length;
    const top = this.stack.length;
    if (top > 0) {
      const element = this.stack[top - 1]!;
      this.fail(`unexpected end of file inside <${element}>`, element, this.starts[top - 1]!);
    }
    return EOF;
  }

  private unexpectedText(from: number, to: number): never {
    let a = from;
    while (isBlankCode(this.src.charCodeAt(a))) a++;
    const snippet = this.src.slice(a, Math.min(to, a + 30)).trimEnd();
    const parent = this.open(0);
    const where = parent ? `inside <${parent}>` : 'outside <OFX>';
    this.fail(`unexpected text "${snippet}" ${where}`, parent || 'OFX', a);
  }

  /** Skips `<!-- -->`, `<!DOCTYPE>`, `<?...?>`; a CDATA section outside a leaf is text out of place. */
  private skipMarkup(lt: number): number {
    const s = this.src;
    if (s.startsWith('<![CDATA[', lt)) this.unexpectedText(lt, lt + 40);
    const [terminator, from] = s.startsWith('<!--', lt)
      ? ['-->', lt + 4]
      : s.charCodeAt(lt + 1) === QUESTION
        ? ['?>', lt + 2]
        : ['>', lt + 2];
    const end = s.indexOf(terminator, from);
    if (end === -1) this.fail('unterminated markup declaration', this.open(0) || 'OFX', lt);
    return end + terminator.length;
  }

  private closeTag(lt: number): Token {
    const s = this.src;
    const from = lt + 2;
    const to = nameEnd(s, from);
    const top = this.stack.length - 1;
    if (top >= 0) {
      const open = this.stack[top]!;
      if (to - from === open.length && s.charCodeAt(to) === GT && s.startsWith(open, from)) {
        this.pos = to + 1;
        return this.popEnd(lt);
      }
    }
    const gt = this.tagEnd(to, lt);
    const name = readName(s, from, to);
    if (to === from) this.fail('closing tag without a name', this.open(0) || 'OFX', lt);
    this.pos = gt + 1;
    if (top >= 0 && this.stack[top] === name) return this.popEnd(lt);
    if (this.sgml && this.stack.lastIndexOf(name) !== -1) return this.impliedEnd(lt);
    const expected = top >= 0 ? `</${this.stack[top]}>` : 'no closing tag';
    this.fail(`mismatched closing tag </${name}>: expected ${expected}`, name, lt);
  }

  private popEnd(at: number): Token {
    this.name = this.stack.pop()!;
    this.starts.pop();
    this.at = at;
    return END;
  }

  /** Offset of the `>` ending a tag whose name ends at `from`; attributes (unused in OFX) are skipped. */
  private tagEnd(from: number, lt: number): number {
    const s = this.src;
    const gt = s.indexOf('>', from);
    const nextLt = s.indexOf('<', from);
    if (gt === -1 || (nextLt !== -1 && nextLt < gt)) {
      this.fail('unterminated tag', readName(s, lt + 1, nameEnd(s, lt + 1)) || this.open(0) || 'OFX', lt);
    }
    return gt;
  }

  private openTag(lt: number): Token {
    const s = this.src;
    const to = nameEnd(s, lt + 1);
    if (to === lt + 1) this.fail('tag without a name', this.open(0) || 'OFX', lt);
    const gt = to < s.length && s.charCodeAt(to) === GT ? to : this.tagEnd(to, lt);
    const name = readName(s, lt + 1, to);
    this.name = name;
    const selfClosing = s.charCodeAt(gt - 1) === SLASH;
    let p = gt + 1;
    if (selfClosing) {
      this.pos = p;
      if (isKnownAggregate(name)) return this.push(name, lt, true);
      this.value = '';
      return LEAF;
    }
    const q = s.indexOf('<', p);
    const textEnd = q === -1 ? s.length : q;
    if (q !== -1 && s.startsWith('<![CDATA[', q)) return this.mixedLeaf(name, p);
    let a = p;
    let b = textEnd;
    while (a < b && isBlankCode(s.charCodeAt(a))) a++;
    while (b > a && isBlankCode(s.charCodeAt(b - 1))) b--;
    if (a < b) {
      // Blanks are cut before decoding (the common case, no copy) and again after it, as for CDATA values.
      const raw = s.slice(a, b);
      this.value = raw.indexOf('&') === -1 ? raw : trimBlank(decodeEntities(raw));
      this.pos = this.afterOptionalClose(name, textEnd);
      return LEAF;
    }
    p = textEnd;
    if (isKnownAggregate(name)) {
      this.pos = p;
      return this.push(name, lt, false);
    }
    const closed = this.afterOptionalClose(name, p);
    if (closed !== p || !(this.lookedAhead.get(lt) ?? closesBeforeParent(s, lt, name, p, this.lookedAhead))) {
      this.pos = closed;
      this.value = '';
      return LEAF;
    }
    this.pos = p;
    return this.push(name, lt, false);
  }

  /**
   * END of the innermost aggregate, whose end tag was omitted; the tag at `lt` (an ancestor's end tag, or the start
   * of an aggregate only an ancestor may hold) is read again by the next call.
   */
  private impliedEnd(lt: number): Token {
    this.pos = lt;
    return this.popEnd(lt);
  }

  /** Whether aggregate `name` cannot go in the innermost open aggregate but can in one of its ancestors. */
  private belongsToAncestor(name: string): boolean {
    const parents = parentsOf(name);
    const top = this.stack.length - 1;
    if (parents === undefined || top < 0 || parents.includes(this.stack[top]!)) return false;
    // Only a known aggregate's content is known; an unknown one may hold anything.
    if (!isKnownAggregate(this.stack[top]!)) return false;
    for (let k = top - 1; k >= 0; k--) if (parents.includes(this.stack[k]!)) return true;
    return false;
  }

  private push(name: string, lt: number, selfClosing: boolean): Token {
    if (this.sgml && this.belongsToAncestor(name)) return this.impliedEnd(lt);
    this.stack.push(name);
    this.starts.push(lt);
    this.pendingEnd = selfClosing;
    return START;
  }

  /** If `</NAME>` starts at `at`, the offset after it; otherwise `at`. */
  private afterOptionalClose(name: string, at: number): number {
    const s = this.src;
    if (s.charCodeAt(at) !== LT || s.charCodeAt(at + 1) !== SLASH) return at;
    const after = at + 2 + name.length;
    if (s.charCodeAt(after) === GT && s.startsWith(name, at + 2)) return after + 1;
    const to = nameEnd(s, at + 2);
    if (to - (at + 2) !== name.length) return at;
    if (!s.startsWith(name, at + 2) && readName(s, at + 2, to) !== name) return at;
    let i = to;
    while (i < s.length && isBlankCode(s.charCodeAt(i))) i++;
    return s.charCodeAt(i) === GT ? i + 1 : at;
  }

  /**
   * A leaf whose text contains CDATA sections: raw parts are entity-decoded, CDATA is taken verbatim, and the whole
   * value is trimmed like a plain one (blanks inside a CDATA section at either end included).
   */
  private mixedLeaf(name: string, from: number): Token {
    const s = this.src;
    const parts: string[] = [];
    let p = from;
    for (;;) {
      const q = s.indexOf('<', p);
      const rawEnd = q === -1 ? s.length : q;
      parts.push(s.slice(p, rawEnd));
      if (q === -1 || !s.startsWith('<![CDATA[', q)) {
        p = rawEnd;
        break;
      }
      const end = s.indexOf(']]>', q + 9);
      if (end === -1) this.fail(`unterminated CDATA section in <${name}>`, name, q);
      parts.push(s.slice(q + 9, end));
      p = end + 3;
    }
    let value = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      value += i % 2 === 1 || part.indexOf('&') === -1 ? part : decodeEntities(part);
    }
    this.value = trimBlank(value);
    this.pos = this.afterOptionalClose(name, p);
    return LEAF;
  }
}
