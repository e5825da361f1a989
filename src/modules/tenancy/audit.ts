import type { AuditWriter, Scope } from '../../kernel/audit.js';
import type { Db } from '../../kernel/db.js';
import { isUuid, uuidv7 } from '../../kernel/ids.js';
import * as store from './store.js';

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

export async function listAudit(
  db: Db,
  scope: Scope,
  opts: { limit: number; before?: string; entityType?: string; entityId?: string },
): Promise<store.AuditRow[]> {
  return store.listAudit(db, scope.tenantId, {
    ...opts,
    before: opts.before && isUuid(opts.before) ? opts.before : undefined,
  });
}
