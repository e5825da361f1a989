import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Session } from './db.js';

/**
 * Applies the committed SQL files in `migrations/` in name order, each in its own transaction, once. Numbering is
 * by owner: 0001-0099 foundation, 0100s lending, 0200s card authorizations, 0300s aggregation. An applied file
 * whose contents changed is an error: ship a new migration instead of editing an old one.
 */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');

const LOCK_ID = 7_240_001; // pg_advisory_lock key: one migrator at a time across processes

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  return database.session((session) => migrateOn(session, dir));
}

async function migrateOn(session: Session, dir: string): Promise<MigrationReport> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  await session.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  try {
    await session.exec(`
      CREATE TABLE IF NOT EXISTS plinth_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await session.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM plinth_migrations',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const applied: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(text).digest('hex');
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`migration ${file} was changed after it was applied`);
        continue;
      }
      await session.exec(
        `BEGIN;\n${text}\n;INSERT INTO plinth_migrations (name, checksum) VALUES ('${file.replaceAll("'", "''")}', '${checksum}');\nCOMMIT;`,
      );
      applied.push(file);
    }
    return { applied, alreadyApplied: done.size };
  } catch (e) {
    await session.exec('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
  }
}
