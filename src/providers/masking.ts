/**
 * Secrets are write-only. A masked secret keeps enough to recognise it (the vendor prefix up to the first
 * underscore and the last four characters, `sk_...***1234`) and nothing that helps to use it.
 */
export function maskSecret(value: unknown): string {
  if (typeof value !== 'string' || value.length < 12) return '***';
  const underscore = value.indexOf('_');
  const prefix = underscore > 0 && underscore <= 8 ? value.slice(0, underscore + 1) : '';
  return `${prefix}...***${value.slice(-4)}`;
}

type Json = Record<string, unknown>;

function getPath(obj: Json, path: string): unknown {
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
