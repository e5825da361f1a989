/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with nested keys in brackets
 * (`card[exp_month]=12`, `payment_method_types[0]=card`, `metadata[loan]=L1`), also used in GET query strings.
 * Every value arrives as a string; the handlers coerce and validate.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function segments(key: string): string[] {
  const first = key.indexOf('[');
  if (first < 0) return [key];
  const out = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  for (let m = re.exec(key.slice(first)); m; m = re.exec(key.slice(first))) out.push(m[1]!);
  return out;
}

const isIndex = (s: string) => s === '' || /^\d+$/.test(s);

export function parseForm(params: URLSearchParams): FormObject {
  const root: FormObject = {};
  for (const [key, value] of params) {
    const path = segments(key);
    let node: FormObject | FormValue[] = root;
    path.forEach((seg, i) => {
      const last = i === path.length - 1;
      const container = node as Record<string, FormValue> & FormValue[];
      const slot = Array.isArray(node) && seg === '' ? node.length : seg;
      if (last) {
        (container as Record<string | number, FormValue>)[slot] = value;
        return;
      }
      const existing = (container as Record<string | number, FormValue>)[slot];
      if (existing === undefined || typeof existing === 'string') {
        const fresh: FormObject | FormValue[] = isIndex(path[i + 1]!) ? [] : {};
        (container as Record<string | number, FormValue>)[slot] = fresh;
        node = fresh;
      } else node = existing as FormObject | FormValue[];
    });
  }
  return root;
}

export const parseFormBody = (body: Buffer): FormObject =>
  parseForm(new URLSearchParams(body.toString('utf8')));

/** Key order does not matter to Stripe when it compares an idempotent retry's parameters with the first. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
