import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// Tables outside the tenant convention: the migration ledger, and the tenant root whose id IS the tenant id.
const ROOTS = new Set(['plinth_migrations', 'tenants']);

function storeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? storeFiles(join(dir, e.name))
      : e.name === 'store.ts' || e.name === 'tables.ts'
        ? [join(dir, e.name)]
        : [],
  );
}

describe('schema conventions', () => {
  it('every table carries tenant_id, and it leads every primary key and unique index', async () => {
    const tables = await rows<{ table_name: string }>(
      t.ctx.database.db,
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const indexes = await rows<{ table: string; index: string; is_primary: boolean; first_column: string }>(
      t.ctx.database.db,
      sql`SELECT c.relname AS table, i.relname AS index, x.indisprimary AS is_primary,
                 a.attname AS first_column
            FROM pg_index x
            JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
           WHERE x.indisunique`,
    );
    expect(tables.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const { table_name } of tables) {
      if (ROOTS.has(table_name)) continue;
      const own = indexes.filter((i) => i.table === table_name);
      if (!own.some((i) => i.is_primary)) problems.push(`${table_name}: no primary key`);
      for (const i of own)
        if (i.first_column !== 'tenant_id')
          problems.push(`${table_name}.${i.index} does not lead with tenant_id`);
    }
    expect(problems).toEqual([]);
  });

  it('every drizzle table matches the migrated database', async () => {
    const columns = await rows<{ table_name: string; column_name: string; is_nullable: string }>(
      t.ctx.database.db,
      sql`SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const files = storeFiles(join(import.meta.dirname, '../../src'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const problems: string[] = [];
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const value of Object.values(mod)) {
        if (!(value instanceof PgTable)) continue;
        const cfg = getTableConfig(value);
        const dbCols = columns.filter((c) => c.table_name === cfg.name);
        if (dbCols.length === 0)
          problems.push(`${relative(process.cwd(), file)}: table ${cfg.name} is not in the database`);
        for (const col of cfg.columns) {
          const dbCol = dbCols.find((c) => c.column_name === col.name);
          if (!dbCol) problems.push(`${cfg.name}.${col.name}: not in the database`);
          else if (col.notNull !== (dbCol.is_nullable === 'NO'))
            problems.push(`${cfg.name}.${col.name}: nullability differs`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
