import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from './db.js';

/**
 * A per-tenant cache kept true across processes: `changed(tenantId)` drops the tenant's entries here at once and
 * tells every other process through NOTIFY on `channel`. This process ignores the echo of its own notice: it
 * already dropped the entries, and dropping them again later would throw away answers loaded after the change.
 */
export interface TenantChanges {
  changed(tenantId: string): Promise<void>;
  unlisten(): Promise<void>;
}

export async function tenantChanges(
  database: Database,
  channel: string,
  drop: (tenantId: string) => void,
): Promise<TenantChanges> {
  const origin = randomUUID();
  const unlisten = await database.listen(channel, (payload) => {
    const at = payload.indexOf(':');
    if (payload.slice(0, at) === origin) return;
    drop(payload.slice(at + 1));
  });
  return {
    async changed(tenantId) {
      drop(tenantId);
      await database.notify(channel, `${origin}:${tenantId}`);
    },
    unlisten,
  };
}

/**
 * The notice of `changed` as an SQL expression, for a write to carry in its own statement (a RETURNING column):
 * PostgreSQL delivers a NOTIFY when its transaction commits, so no process drops its entries before the change is
 * visible (and reloads the old answer). It carries no origin, so this process drops its own entries too when it
 * arrives. Notices repeated in one transaction are delivered once.
 */
export const changedAtCommitSql = (channel: string, tenantId: SQL): SQL =>
  sql`pg_notify(${channel}, ':' || (${tenantId})::text)`;
