import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../kernel/db.js';
import {
  CONNECTION_CREDENTIALS_INFO,
  CredentialError,
  type KeyRing,
  MODULE_KEYS_INFO,
} from '../../providers/credentials.js';
import type { RotationReport } from '../../providers/rotation.js';
import { connectionIdentity, tenantKeyIdentity } from './secrets.js';
import { connections, tenantKeys } from './store.js';

/**
 * `plinth keys rotate` for this module: connection credentials and per-tenant keys re-sealed under the first
 * master key. Rows already under it are left alone; rows no listed key opens are reported, not touched.
 */

async function rotate<R>(
  keyRing: KeyRing,
  list: R[],
  parts: (row: R) => { tenantId: string; info: string; identity: Record<string, string>; token: string },
  name: (row: R) => string,
  write: (row: R, sealed: string) => Promise<void>,
): Promise<RotationReport> {
  const report: RotationReport = { rotated: 0, total: list.length, failed: [] };
  for (const row of list) {
    const { tenantId, info, identity, token } = parts(row);
    let opened: ReturnType<KeyRing['open']>;
    try {
      opened = keyRing.open(tenantId, info, identity, token);
    } catch (e) {
      if (!(e instanceof CredentialError)) throw e;
      report.failed.push(name(row));
      continue;
    }
    if (!opened.stale) continue;
    await write(row, keyRing.seal(tenantId, info, identity, opened.value));
    report.rotated++;
  }
  return report;
}

export async function rotateConnectionCredentials(db: Db, keyRing: KeyRing): Promise<RotationReport> {
  const list = await db.select().from(connections).where(isNotNull(connections.credentials));
  return rotate(
    keyRing,
    list,
    (row) => ({
      tenantId: row.tenantId,
      info: CONNECTION_CREDENTIALS_INFO,
      identity: connectionIdentity(row),
      token: row.credentials!,
    }),
    (row) => row.id,
    async (row, sealed) => {
      await db
        .update(connections)
        .set({ credentials: sealed })
        // Only if unchanged meanwhile: a sync may have just stored refreshed (possibly rotated) tokens.
        .where(
          and(
            eq(connections.tenantId, row.tenantId),
            eq(connections.id, row.id),
            eq(connections.credentials, row.credentials!),
          ),
        );
    },
  );
}

export async function rotateTenantKeys(db: Db, keyRing: KeyRing): Promise<RotationReport> {
  const list = await db.select().from(tenantKeys);
  return rotate(
    keyRing,
    list,
    (row) => ({
      tenantId: row.tenantId,
      info: MODULE_KEYS_INFO,
      identity: tenantKeyIdentity(row.tenantId, row.purpose),
      token: row.sealed,
    }),
    (row) => `${row.tenantId}/${row.purpose}`,
    async (row, sealed) => {
      await db
        .update(tenantKeys)
        .set({ sealed })
        .where(and(eq(tenantKeys.tenantId, row.tenantId), eq(tenantKeys.purpose, row.purpose)));
    },
  );
}
