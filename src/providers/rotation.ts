import { and, eq } from 'drizzle-orm';
import type { Db } from '../kernel/db.js';
import { CredentialError, type KeyRing, PROVIDER_CONFIG_INFO } from './credentials.js';
import { configIdentity } from './sealed-config.js';
import { providerConfigs } from './store.js';

export interface RotationReport {
  rotated: number;
  total: number;
  /** Configs no listed key opens (or copied tokens): left untouched, named for the operator. */
  failed: string[];
}

/**
 * Re-encrypts every provider config (all tenants, deleted ones included) under the first master key. Configs
 * already under it are left alone, so the command can be re-run after an interruption.
 */
export async function rotateProviderConfigs(db: Db, keyRing: KeyRing): Promise<RotationReport> {
  const rows = await db.select().from(providerConfigs);
  const report: RotationReport = { rotated: 0, total: rows.length, failed: [] };
  for (const row of rows) {
    const identity = configIdentity(row);
    let opened: ReturnType<KeyRing['open']>;
    try {
      opened = keyRing.open(row.tenantId, PROVIDER_CONFIG_INFO, identity, row.config);
    } catch (e) {
      if (!(e instanceof CredentialError)) throw e;
      report.failed.push(row.id);
      continue;
    }
    if (!opened.stale) continue;
    await db
      .update(providerConfigs)
      .set({ config: keyRing.seal(row.tenantId, PROVIDER_CONFIG_INFO, identity, opened.value) })
      .where(and(eq(providerConfigs.tenantId, row.tenantId), eq(providerConfigs.id, row.id)));
    report.rotated++;
  }
  return report;
}
