import type { Db } from '../../../kernel/db.js';
import type { CardDirectoryView, CardOwner, MaybePromise } from '../domain/resolvers.js';
import {
  type CategoryEntry,
  type LineEntry,
  loadCardOwner,
  loadCategories,
  loadOpenLine,
  loadOwnerLines,
} from './store.js';

export type { CategoryEntry, LineEntry } from './store.js';

/** Entries per map before the map is dropped and refilled: a bound, not a tuning knob. */
const MAX_ENTRIES = 200_000;

/** The key of a tenant's one entry in `TenantEntries.categories`. */
const ALL = '';

class TenantEntries {
  /** One entry, under ALL: every category of the tenant, by code. */
  readonly categories = new Map<string, MaybePromise<ReadonlyMap<string, CategoryEntry>>>();
  readonly cards = new Map<string, MaybePromise<CardOwner | null>>();
  readonly owners = new Map<string, MaybePromise<ReadonlyMap<string, LineEntry>>>();
  readonly lines = new Map<string, MaybePromise<LineEntry | null>>();
}

/**
 * Memoizes a load in `map` under `key`. The entry is the load's promise until it fulfils, then its value: a hit
 * is answered as it is, without a promise to wait on (every decision asks). A failed load is forgotten, so the
 * next call retries. Callers look the hit up first (`!== undefined`: null is a cached answer).
 */
function memo<T>(map: Map<string, MaybePromise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  if (map.size >= MAX_ENTRIES) map.clear();
  const p = load();
  map.set(key, p);
  p.then(
    (value) => {
      if (map.get(key) === p) map.set(key, value);
    },
    () => {
      if (map.get(key) === p) map.delete(key);
    },
  );
  return p;
}

/**
 * What the decision path needs to resolve a payment, cached in process: the card registry, the expense
 * categories and the owners' open lines. Every committed change to them calls `invalidate` for the tenant, here
 * and, through NOTIFY, in every other process; a load that was in flight during an invalidation lands in the
 * dropped entries and is never served. The hot path then touches only the trackers and the request log.
 *
 * A stale entry can only live for the NOTIFY latency, and the tracker's own `terminated` flag is checked under
 * its row lock, so a terminated line never takes a reservation even then.
 */
export class CardDirectory {
  readonly #tenants = new Map<string, TenantEntries>();
  readonly #views = new Map<string, CardDirectoryView>();

  constructor(private readonly db: Db) {}

  #tenant(tenantId: string): TenantEntries {
    let t = this.#tenants.get(tenantId);
    if (!t) {
      t = new TenantEntries();
      this.#tenants.set(tenantId, t);
    }
    return t;
  }

  invalidate(tenantId: string): void {
    this.#tenants.delete(tenantId);
  }

  card(tenantId: string, cardId: string): MaybePromise<CardOwner | null> {
    const t = this.#tenant(tenantId);
    // The hit first: the loader below is a closure to allocate.
    const hit = t.cards.get(cardId);
    if (hit !== undefined) return hit;
    return memo(t.cards, cardId, () => loadCardOwner(this.db, tenantId, cardId));
  }

  /** Every category of the tenant, by code (categories are few: the seed calls them "limited in number"). */
  categories(tenantId: string): MaybePromise<ReadonlyMap<string, CategoryEntry>> {
    const t = this.#tenant(tenantId);
    const hit = t.categories.get(ALL);
    if (hit !== undefined) return hit;
    return memo(t.categories, ALL, () => loadCategories(this.db, tenantId));
  }

  /** The owner's open lines, by expense category id. */
  ownerLines(
    tenantId: string,
    ownerType: string,
    ownerRef: string,
  ): MaybePromise<ReadonlyMap<string, LineEntry>> {
    const t = this.#tenant(tenantId);
    const key = `${ownerType}|${ownerRef}`;
    const hit = t.owners.get(key);
    if (hit !== undefined) return hit;
    return memo(t.owners, key, async () => {
      const rows = await loadOwnerLines(this.db, tenantId, ownerType, ownerRef);
      const byCategory = new Map<string, LineEntry>();
      for (const entry of rows) {
        byCategory.set(entry.categoryId, entry);
        if (t.lines.size < MAX_ENTRIES) t.lines.set(entry.id, entry);
      }
      return byCategory;
    });
  }

  /** An open line by id (lines a custom resolver returns that were not loaded through their owner). */
  line(tenantId: string, lineId: string): MaybePromise<LineEntry | null> {
    const t = this.#tenant(tenantId);
    const hit = t.lines.get(lineId);
    if (hit !== undefined) return hit;
    return memo(t.lines, lineId, () => loadOpenLine(this.db, tenantId, lineId));
  }

  /** The read-only view handed to line resolvers, bound to one tenant (made once per tenant: it holds no data). */
  view(tenantId: string): CardDirectoryView {
    let v = this.#views.get(tenantId);
    if (!v) {
      v = {
        cardOwner: (cardId) => this.card(tenantId, cardId),
        openLines: (ownerType, ownerRef) => this.ownerLines(tenantId, ownerType, ownerRef),
      };
      this.#views.set(tenantId, v);
    }
    return v;
  }
}
