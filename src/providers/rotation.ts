import { and, eq } from 'drizzle-orm';
import type { Db } from '../kernel/db.js';
import { type KeyRing, PROVIDER_CONFIG_INFO } from './credentials.js';
import { configIdentity } from './service.js';
import { providerConfigs } from './store.js';

/**
 * Re-encrypts every provider config (all tenants, deleted ones included) under the first master key. Configs
 * already under it are left alone, so the command can be re-run after an interruption.
 */
export async function rotateProviderConfigs(
  db: Db,
  keyRing: KeyRing,
): Promise<{ rotated: number; total: number }> {
  const rows = await db.select().from(providerConfigs);
  let rotated = 0;
  for (const row of rows) {
    const identity = configIdentity(row);
    const opened = keyRing.open(row.tenantId, PROVIDER_CONFIG_INFO, identity, row.config);
    if (!opened.stale) continue;
    await db
      .update(providerConfigs)
      .set({ config: keyRing.seal(row.tenantId, PROVIDER_CONFIG_INFO, identity, opened.value) })
      .where(and(eq(providerConfigs.tenantId, row.tenantId), eq(providerConfigs.id, row.id)));
    rotated++;
  }
  return { rotated, total: rows.length };
}
