import type { Db } from './db.js';

/** Who did something: an API key, the platform admin, or Plinth itself (close of business, scheduled syncs). */
export interface Actor {
  type: 'api_key' | 'admin' | 'system';
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

/** The tenant and actor a use case runs for. Every tenant-scoped service call takes one. */
export interface Scope {
  tenantId: string;
  actor: Actor;
  requestId?: string;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  /** Secrets must already be masked. */
  changes: Record<string, unknown>;
}

/**
 * Appends to the tenant's audit log inside the caller's transaction, so the record and the change commit together.
 * The tenancy module implements it; other modules receive it rather than touching its table.
 */
export type AuditWriter = (db: Db, scope: Scope, entry: AuditEntry) => Promise<void>;
