import { and, eq, isNotNull } from 'drizzle-orm';
import type { SealedColumn } from '../../providers/index.js';
import { connectionCredentialsKind, tenantKeyKind } from './secrets.js';
import { type ConnectionRow, connections, type TenantKeyRow, tenantKeys } from './store.js';

/** The module's sealed columns, re-sealed by `plinth keys rotate`. */
export const aggregationSealedColumns: readonly SealedColumn[] = [
  {
    name: 'connection credentials',
    kind: connectionCredentialsKind,
    rows: (db) => db.select().from(connections).where(isNotNull(connections.credentials)),
    token: (row) => row.credentials!,
    write: async (db, row, sealed) => {
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
  } satisfies SealedColumn<ConnectionRow>,
  {
    name: 'aggregation tenant keys',
    kind: tenantKeyKind,
    rows: (db) => db.select().from(tenantKeys),
    token: (row) => row.sealed,
    write: async (db, row, sealed) => {
      await db
        .update(tenantKeys)
        .set({ sealed })
        .where(
          and(
            eq(tenantKeys.tenantId, row.tenantId),
            eq(tenantKeys.purpose, row.purpose),
            eq(tenantKeys.sealed, row.sealed),
          ),
        );
    },
  } satisfies SealedColumn<TenantKeyRow>,
] as readonly SealedColumn[];
