import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/kernel/db.js';
import { migrate, migrationFiles, sourceFiles } from '../../src/kernel/migrate.js';
import { testDatabaseUrl } from '../helpers/database.js';

// What a schema is, read from the catalogs (the same on PGlite and PostgreSQL): every column, constraint, index,
// composite type attribute, trigger and function definition of the public schema.
const SNAPSHOT = `
  SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
         || coalesce(column_default, '') AS line
    FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT 'type ' || t.typname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
    FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid
   WHERE t.typnamespace = 'public'::regnamespace AND t.typtype = 'c'
     AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT 'function ' || pg_get_functiondef(p.oid)
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'storage ' || c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
  ORDER BY 1`;

const opened: { database: Database; drop: () => Promise<void> }[] = [];
async function fresh(): Promise<Database> {
  const { url, drop } = await testDatabaseUrl({ migrated: false });
  const database = await openDatabase({ url, dataDir: '/tmp/plinth-test-unused' });
  opened.push({ database, drop });
  return database;
}
afterEach(async () => {
  for (const { database, drop } of opened.splice(0)) {
    await database.close();
    await drop();
  }
});

const snapshot = async (database: Database) =>
  (await database.raw.query<{ line: string }>(SNAPSHOT)).rows.map((r) => r.line);

describe('migrations', () => {
  it('are numbered in one sequence with no gaps, and hold no SQL functions but trigger guards', () => {
    const files = migrationFiles();
    expect(files.map((f) => Number(f.name.slice(0, 4)))).toEqual(files.map((_, k) => k + 1));
    for (const f of files) {
      const functions = [
        ...f.text.matchAll(/CREATE (?:OR REPLACE )?FUNCTION\s+(\w+)\(\)\s+RETURNS\s+(\w+)/g),
      ];
      const all = [...f.text.matchAll(/CREATE (?:OR REPLACE )?FUNCTION/g)];
      expect({ file: f.name, functions: all.length }).toEqual({
        file: f.name,
        functions: functions.filter((m) => m[2] === 'trigger').length,
      });
    }
  });

  it('a database migrated step by step equals one migrated from scratch', async () => {
    const migrations = migrationFiles();
    const sources = sourceFiles();
    const stepwise = await fresh();
    // Each step is a release's start: its migrations so far, and (the current ones, at the last) its SQL sources.
    for (let k = 1; k <= migrations.length; k++)
      await migrate(stepwise, {
        migrations: migrations.slice(0, k),
        sources: k === migrations.length ? sources : [],
      });
    const scratch = await fresh();
    expect((await migrate(scratch)).applied).toEqual([...migrations, ...sources].map((f) => f.name));
    expect(await snapshot(stepwise)).toEqual(await snapshot(scratch));
  }, 180_000);

  it('re-applies a SQL source when it changes, and refuses an applied migration that changed', async () => {
    const database = await fresh();
    await migrate(database);
    expect((await migrate(database)).applied).toEqual([]);
    const sources = sourceFiles().map((f) =>
      f.name.endsWith('exact.sql') ? { ...f, text: `${f.text}\n-- changed`, checksum: 'changed' } : f,
    );
    expect((await migrate(database, { sources })).applied).toEqual(['src/modules/lending/sql/exact.sql']);
    const migrations = migrationFiles().map((f, k) => (k === 0 ? { ...f, checksum: 'edited' } : f));
    await expect(migrate(database, { migrations })).rejects.toThrow(/0001_foundation.sql was changed/);
  }, 180_000);
});
