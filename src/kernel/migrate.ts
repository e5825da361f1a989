import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Database, Session } from './db.js';
import { PROJECT_ROOT } from './paths.js';

/**
 * Two kinds of committed SQL, applied at start and by `plinth migrate`, one migrator at a time:
 *
 * - `migrations/NNNN_name.sql`: DDL (tables, types, indexes, constraints, trigger guards), numbered in one global
 *   sequence and applied once each, in order, each in its own transaction. An applied file whose contents changed
 *   is an error: ship a new migration instead of editing an old one.
 * - `src/modules/<module>/sql/*.sql`: the one current source of each SQL function a module defines, beside the
 *   code it serves. Each file is re-applied (in its own transaction, after the migrations) whenever its contents
 *   change, so it must be re-runnable: `CREATE OR REPLACE FUNCTION`, and a `DROP FUNCTION IF EXISTS` first when a
 *   signature changes.
 */
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'migrations');
export const MODULES_DIR = join(PROJECT_ROOT, 'src/modules');

const LOCK_ID = 7_240_001; // pg_advisory_lock key: one migrator at a time across processes

/**
 * The migrations of databases created before the global numbering and the SQL sources (owner ranges, functions
 * redefined in full by later migrations). A database holding all of them has exactly the schema of the baseline
 * 0001–0004 (test/foundation/migrations.test.ts compares them), so it is recorded as at the baseline.
 */
const LEGACY = [
  '0100_lending.sql',
  '0101_lending_storage.sql',
  '0110_lending_products.sql',
  '0111_card_refund_reference.sql',
  '0200_card_authorizations.sql',
  '0201_card_batch_parts.sql',
  '0202_card_apply_batch.sql',
  '0203_card_generic_plans.sql',
  '0204_card_batch_sums.sql',
  '0205_card_batch_jsonb.sql',
  '0300_aggregation.sql',
];
const BASELINE = ['0002_lending.sql', '0003_card_authorizations.sql', '0004_aggregation.sql'];

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export interface SqlFile {
  /** The name it is recorded under: the migration's file name, or the source's path from the project root. */
  name: string;
  text: string;
  checksum: string;
}

function sqlFile(path: string, name: string): SqlFile {
  const text = readFileSync(path, 'utf8');
  return { name, text, checksum: createHash('sha256').update(text).digest('hex') };
}

export function migrationFiles(dir = MIGRATIONS_DIR): SqlFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => sqlFile(join(dir, f), f));
}

export function sourceFiles(modulesDir = MODULES_DIR): SqlFile[] {
  return readdirSync(modulesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(modulesDir, e.name, 'sql')))
    .flatMap((e) => {
      const dir = join(modulesDir, e.name, 'sql');
      return readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
        .map((f) => sqlFile(join(dir, f), relative(PROJECT_ROOT, join(dir, f))));
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

export async function migrate(
  database: Database,
  opts: { migrations?: SqlFile[]; sources?: SqlFile[] } = {},
): Promise<MigrationReport> {
  const migrations = opts.migrations ?? migrationFiles();
  const sources = opts.sources ?? sourceFiles();
  return database.session((session) => migrateOn(session, migrations, sources));
}

async function apply(session: Session, file: SqlFile, replace: boolean): Promise<void> {
  const name = file.name.replaceAll("'", "''");
  const record = replace
    ? `INSERT INTO plinth_migrations (name, checksum) VALUES ('${name}', '${file.checksum}')
         ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`
    : `INSERT INTO plinth_migrations (name, checksum) VALUES ('${name}', '${file.checksum}')`;
  await session.exec(`BEGIN;\n${file.text}\n;${record};\nCOMMIT;`);
}

async function migrateOn(
  session: Session,
  migrations: SqlFile[],
  sources: SqlFile[],
): Promise<MigrationReport> {
  await session.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  try {
    await session.exec(`
      CREATE TABLE IF NOT EXISTS plinth_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    await upgradeLegacy(session, migrations);
    const { rows } = await session.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM plinth_migrations',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const applied: string[] = [];
    for (const file of migrations) {
      const previous = done.get(file.name);
      if (previous !== undefined) {
        if (previous !== file.checksum)
          throw new Error(`migration ${file.name} was changed after it was applied`);
        continue;
      }
      await apply(session, file, false);
      applied.push(file.name);
    }
    for (const file of sources) {
      if (done.get(file.name) === file.checksum) continue;
      await apply(session, file, true);
      applied.push(file.name);
    }
    return { applied, alreadyApplied: done.size };
  } catch (e) {
    await session.exec('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
  }
}

async function upgradeLegacy(session: Session, migrations: SqlFile[]): Promise<void> {
  const { rows } = await session.query<{ name: string }>(
    'SELECT name FROM plinth_migrations WHERE name = ANY($1::text[])',
    [LEGACY],
  );
  if (rows.length === 0) return;
  if (rows.length !== LEGACY.length)
    throw new Error(
      'this database holds some of the migrations numbered by owner (0100–0300) but not all: upgrade it with the ' +
        'release before the global numbering first',
    );
  const baseline = migrations.filter((m) => BASELINE.includes(m.name));
  const values = baseline.map((m) => `('${m.name}', '${m.checksum}')`).join(', ');
  await session.exec(
    `BEGIN;
     DELETE FROM plinth_migrations WHERE name IN (${LEGACY.map((n) => `'${n}'`).join(', ')});
     INSERT INTO plinth_migrations (name, checksum) VALUES ${values};
     COMMIT;`,
  );
}
