import { createHash } from 'node:crypto';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { uuidv7 } from '../../../kernel/ids.js';
import { err, ok, type Result } from '../../../kernel/result.js';
import { parseSdnFiles, SdnIndex } from '../domain/index.js';
import * as store from './store.js';

export type OfacList = store.OfacListSummary;

interface Loaded {
  listId: string | null;
  index?: SdnIndex;
}

/**
 * The SDN list each tenant screens against. An upload is parsed whole before anything is written: one bad record
 * rejects it (422 naming the file and line) and the previous list stays active. The files are stored as uploaded,
 * and each process builds its index from the active one on first use (about a second for the full list) and keeps
 * it until a new list is loaded (`forget`, also through NOTIFY from other processes).
 */
export class OfacService {
  readonly #loaded = new Map<string, Promise<Loaded>>();
  #generation = 0;

  constructor(
    private readonly deps: {
      db: Db;
      audit: AuditWriter;
      /** Called after a new list is committed: every process drops the tenant's index. */
      changed: (tenantId: string) => Promise<void>;
    },
  ) {}

  /** The active list's index, or undefined while the tenant has loaded none. */
  async index(tenantId: string): Promise<SdnIndex | undefined> {
    let loading = this.#loaded.get(tenantId);
    if (!loading) {
      const generation = this.#generation;
      loading = this.#load(tenantId);
      this.#loaded.set(tenantId, loading);
      loading.then(
        () => {
          // A list loaded meanwhile may not be in what this load found: keep nothing.
          if (generation !== this.#generation) this.#loaded.delete(tenantId);
        },
        () => this.#loaded.delete(tenantId),
      );
    }
    return (await loading).index;
  }

  async #load(tenantId: string): Promise<Loaded> {
    const id = await store.activeListId(this.deps.db, tenantId);
    if (!id) return { listId: null };
    const row = await store.findList(this.deps.db, tenantId, id);
    if (!row) return { listId: null };
    const parsed = parseSdnFiles({ sdn: row.sdnCsv, alt: row.altCsv ?? undefined });
    // A stored list was parsed before it was stored; it cannot fail here unless the parser changed.
    if (!parsed.ok) throw new Error(`stored OFAC list ${id} no longer parses: ${parsed.error.message}`);
    return { listId: id, index: SdnIndex.build(parsed.value) };
  }

  forget(tenantId: string): void {
    this.#generation++;
    this.#loaded.delete(tenantId);
  }

  async upload(
    scope: Scope,
    files: { sdn: string; alt?: string; source?: string },
  ): Promise<Result<OfacList>> {
    const parsed = parseSdnFiles(files);
    if (!parsed.ok) return err(parsed.error);
    const list = parsed.value;
    const sha = createHash('sha256').update(files.sdn).digest('hex');
    const created = await this.deps.db.transaction(async (tx) => {
      const row = await store.activate(tx, {
        tenantId: scope.tenantId,
        id: uuidv7(),
        status: 'active',
        source: files.source ?? null,
        entries: list.entries.length,
        aliases: list.aliasCount,
        sdnSha256: sha,
        sdnCsv: files.sdn,
        altCsv: files.alt ?? null,
      });
      await this.deps.audit(tx, scope, {
        action: 'ofac_list.loaded',
        entityType: 'ofac_list',
        entityId: row.id,
        changes: { entries: row.entries, aliases: row.aliases, sdn_sha256: sha, source: row.source },
      });
      return row;
    });
    this.forget(scope.tenantId);
    await this.deps.changed(scope.tenantId);
    return ok(created);
  }

  async list(scope: Scope, limit = 20): Promise<OfacList[]> {
    return store.listLists(this.deps.db, scope.tenantId, limit);
  }
}
