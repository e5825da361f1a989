/**
 * A small logic-less template language (a strict subset of Mustache), so tenants can edit what borrowers receive
 * without being able to run code: values, sections over lists and flags, inverted sections, comments, and a fixed
 * set of formatting filters. No partials, lambdas, raw HTML or expressions.
 *
 *   {{ customer.name }}           a value (HTML-escaped in HTML bodies)
 *   {{ payment.amount | money }}  a filter: money (minor units in the root `currency`), date, percent, upper, lower
 *   {{#reasons}}- {{.}}{{/reasons}}   a section: repeated per item of a list, once for true or an object, skipped
 *                                 for false, null, 0, '' or an empty list
 *   {{^credit_report}}...{{/credit_report}}   an inverted section: only for those falsy values
 *   {{! a comment }}
 *
 * A variable that is absent (undefined) is an error naming it; null renders as nothing.
 */

export type Node =
  | { type: 'text'; text: string }
  | { type: 'var'; path: string; filters: Filter[]; at: number }
  | { type: 'section'; path: string; inverted: boolean; children: Node[]; at: number };

export const FILTERS = ['money', 'date', 'percent', 'upper', 'lower'] as const;
export type Filter = (typeof FILTERS)[number];

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const PATH = /^(\.|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
const MAX_LENGTH = 100_000;

/** Parses a template; a syntax error says what and where (the character offset). */
export function parse(source: string): Node[] {
  if (source.length > MAX_LENGTH) throw new TemplateSyntaxError(`longer than ${MAX_LENGTH} characters`, 0);
  const root: Node[] = [];
  const stack: { node: Extract<Node, { type: 'section' }>; children: Node[] }[] = [];
  const out = () => (stack.length ? stack.at(-1)!.children : root);
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      out().push({ type: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) out().push({ type: 'text', text: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateSyntaxError('a tag is not closed with }}', open);
    const tag = source.slice(open + 2, close).trim();
    i = close + 2;
    if (tag.startsWith('{')) throw new TemplateSyntaxError('raw {{{ }}} output is not allowed', open);
    const sigil = tag[0];
    if (sigil === '!') continue;
    if (sigil === '#' || sigil === '^') {
      const path = tag.slice(1).trim();
      if (!PATH.test(path) || path === '.')
        throw new TemplateSyntaxError(`invalid section name "${path}"`, open);
      const node = {
        type: 'section' as const,
        path,
        inverted: sigil === '^',
        children: [] as Node[],
        at: open,
      };
      out().push(node);
      stack.push({ node, children: node.children });
      continue;
    }
    if (sigil === '/') {
      const path = tag.slice(1).trim();
      const top = stack.pop();
      if (!top) throw new TemplateSyntaxError(`{{/${path}}} closes no section`, open);
      if (top.node.path !== path)
        throw new TemplateSyntaxError(`{{/${path}}} closes {{#${top.node.path}}}`, open);
      continue;
    }
    if (sigil === '>' || sigil === '=' || sigil === '&')
      throw new TemplateSyntaxError(`{{${sigil} tags are not supported`, open);
    const [path, ...filters] = tag.split('|').map((s) => s.trim());
    if (!path || !PATH.test(path)) throw new TemplateSyntaxError(`invalid variable "${tag}"`, open);
    for (const f of filters)
      if (!(FILTERS as readonly string[]).includes(f))
        throw new TemplateSyntaxError(`unknown filter "${f}" (use ${FILTERS.join(', ')})`, open);
    out().push({ type: 'var', path, filters: filters as Filter[], at: open });
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateSyntaxError(`{{#${unclosed.node.path}}} is not closed`, unclosed.node.at);
  return root;
}

export interface RenderOptions {
  /** Escape values for HTML (HTML bodies). */
  html: boolean;
}

/** Rendering failed: the variables that are absent, by the names the template uses. */
export class MissingVariables extends Error {
  constructor(readonly names: string[]) {
    super(`missing template variables: ${names.join(', ')}`);
    this.name = 'MissingVariables';
  }
}

const ABSENT = Symbol('absent');

function lookup(stack: readonly unknown[], path: string): unknown {
  if (path === '.') return stack.at(-1);
  const [head, ...rest] = path.split('.');
  // The first segment is looked up from the innermost context out (a list item's fields, then the root's).
  for (let i = stack.length - 1; i >= 0; i--) {
    const ctx = stack[i];
    if (ctx !== null && typeof ctx === 'object' && Object.hasOwn(ctx, head!)) {
      let v: unknown = (ctx as Record<string, unknown>)[head!];
      for (const k of rest) {
        if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return ABSENT;
        v = (v as Record<string, unknown>)[k];
      }
      return v === undefined ? ABSENT : v;
    }
  }
  return ABSENT;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Minor units in a currency, as en-US writes it: 123456 USD → $1,234.56 (exact: no float arithmetic). */
export function formatMoney(minor: number | string, currency: string): string {
  const fmt = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  const n = BigInt(minor);
  const abs = (n < 0n ? -n : n).toString().padStart(digits + 1, '0');
  const decimal = digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs;
  return fmt.format(`${n < 0n ? '-' : ''}${decimal}` as unknown as number);
}

/** `YYYY-MM-DD` (or the date of an ISO instant) as "March 5, 2026". */
export function formatDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  return `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}`;
}

function applyFilter(f: Filter, value: unknown, root: unknown, path: string, missing: Set<string>): string {
  if (value === null) return '';
  switch (f) {
    case 'money': {
      const currency = lookup([root], 'currency');
      if (currency === ABSENT) {
        missing.add('currency');
        return '';
      }
      if ((typeof value !== 'number' || !Number.isSafeInteger(value)) && !/^-?\d+$/.test(String(value)))
        throw new TypeError(`${path} is not an amount in minor units`);
      return formatMoney(value as number, String(currency));
    }
    case 'date':
      return formatDate(String(value));
    case 'percent':
      return `${String(value)}%`;
    case 'upper':
      return String(value).toUpperCase();
    case 'lower':
      return String(value).toLowerCase();
  }
}

const truthy = (v: unknown) =>
  !(v === false || v === null || v === 0 || v === '' || (Array.isArray(v) && v.length === 0));

function renderNodes(
  nodes: readonly Node[],
  stack: unknown[],
  opts: RenderOptions,
  missing: Set<string>,
): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') {
      out += node.text;
      continue;
    }
    const value = lookup(stack, node.path);
    if (value === ABSENT) {
      missing.add(node.path);
      continue;
    }
    if (node.type === 'var') {
      let text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      node.filters.forEach((f, i) => {
        text = applyFilter(f, i === 0 ? value : text, stack[0], node.path, missing);
      });
      out += opts.html ? escapeHtml(text) : text;
      continue;
    }
    if (node.inverted) {
      if (!truthy(value)) out += renderNodes(node.children, stack, opts, missing);
      continue;
    }
    if (!truthy(value)) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) out += renderNodes(node.children, [...stack, item], opts, missing);
  }
  return out;
}

/** Renders a parsed template; throws `MissingVariables` naming every absent variable. */
export function render(
  nodes: readonly Node[],
  variables: Record<string, unknown>,
  opts: RenderOptions,
): string {
  const missing = new Set<string>();
  const out = renderNodes(nodes, [variables], opts, missing);
  if (missing.size > 0) throw new MissingVariables([...missing].sort());
  return out;
}
