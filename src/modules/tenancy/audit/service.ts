import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import type { AuditRow } from '../tables.js';
import * as store from './store.js';

/** The audit writer every module receives: the entry commits with the caller's transaction. */
export const writeAudit: AuditWriter = async (db, scope, entry) => {
  await store.insertAudit(db, {
    tenantId: scope.tenantId,
    id: uuidv7(),
    actorType: scope.actor.type,
    actorId: scope.actor.id,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: entry.changes,
    requestId: scope.requestId ?? null,
  });
};

/** The append-only audit log, read newest first. */
export class AuditService {
  constructor(private readonly deps: { db: Db }) {}

  async list(
    scope: Scope,
    opts: { limit: number; before?: string; entityType?: string; entityId?: string },
  ): Promise<AuditRow[]> {
    return store.listAudit(this.deps.db, scope.tenantId, {
      ...opts,
      before: opts.before && isUuid(opts.before) ? opts.before : undefined,
    });
  }
}
