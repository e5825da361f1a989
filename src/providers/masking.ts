/**
 * The vendor prefixes a mask keeps: each says which vendor's key it is and in which mode, nothing more (Stripe's
 * secret, restricted and webhook-signing keys; SendGrid's API keys; Lob's live and test keys). Anything else, an
 * unknown prefix included, is secret material: a prefix guessed from the first underscore revealed up to eight
 * characters of it.
 */
const VENDOR_PREFIXES = ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_', 'SG.', 'live_', 'test_'];

/** Shorter secrets show nothing: four characters of twelve is a third of the secret. */
const MIN_LENGTH_FOR_LAST_FOUR = 16;

/**
 * Secrets are write-only. A masked secret keeps enough to recognise it (a known vendor prefix and the last four
 * characters, `sk_live_...***1234`) and nothing that helps to use it.
 */
export function maskSecret(value: unknown): string {
  if (typeof value !== 'string' || value.length < MIN_LENGTH_FOR_LAST_FOUR) return '***';
  const prefix = VENDOR_PREFIXES.find((p) => value.startsWith(p) && value.length >= p.length + 12) ?? '';
  return `${prefix}...***${value.slice(-4)}`;
}

type Json = Record<string, unknown>;

export function getPath(obj: Json, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[part];
  }
  return cur;
}

function setPath(obj: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (next === null || typeof next !== 'object') return;
    cur = next as Json;
  }
  cur[parts.at(-1)!] = value;
}

/** A deep copy of `config` with every secret field masked. */
export function maskConfig(config: Json, secretFields: readonly string[]): Json {
  const copy = structuredClone(config);
  for (const path of secretFields) {
    const v = getPath(copy, path);
    if (v !== undefined && v !== null) setPath(copy, path, maskSecret(v));
  }
  return copy;
}

/**
 * The config a PATCH produces: top-level keys in `patch` replace those in `current`; a secret the patch omits,
 * or sends back in its masked form (a client round-tripping what it was shown), keeps its current value.
 */
export function mergeConfig(current: Json, patch: Json, secretFields: readonly string[]): Json {
  const merged = { ...structuredClone(current), ...structuredClone(patch) };
  for (const path of secretFields) {
    const old = getPath(current, path);
    if (old === undefined) continue;
    const sent = getPath(patch, path);
    if (sent === undefined || sent === maskSecret(old)) setPath(merged, path, old);
  }
  return merged;
}
