import type { ProviderHoldingData } from './types.js';

/**
 * A source may list one security twice in an account: two lots, or two positions its id does not tell apart (an
 * OFX statement's positions are identified by security, HELDINACCT and POSTYPE only). Every listed holding is kept,
 * so the stored holdings add up to what the source reported: a repeated id gets its occurrence in list order
 * (`…#2`, `…#3`, skipping any the source uses itself), which is stable when the same statement comes again.
 */
export function withDistinctIds(list: readonly ProviderHoldingData[]): ProviderHoldingData[] {
  const taken = new Set(list.map((h) => h.providerHoldingId));
  if (taken.size === list.length) return [...list];
  const seen = new Set<string>();
  return list.map((h) => {
    const id = h.providerHoldingId;
    if (!seen.has(id)) {
      seen.add(id);
      return h;
    }
    let n = 2;
    while (taken.has(`${id}#${n}`)) n++;
    const distinct = `${id}#${n}`;
    taken.add(distinct);
    return { ...h, providerHoldingId: distinct };
  });
}
