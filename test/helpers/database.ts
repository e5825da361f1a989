import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/kernel/db.js';
import { migrate, migrationFiles, sourceFiles } from '../../src/kernel/migrate.js';

/**
 * Where integration tests put their data. By default each test file gets an ephemeral embedded PGlite (empty; the
 * caller migrates it). With PLINTH_TEST_DATABASE_URL (CI sets it to a throwaway PostgreSQL 15 cluster) each file
 * gets a fresh database on that server, dropped afterwards: a copy of one migrated once per server and schema
 * (the caller's migrate finds nothing to do), or an empty one with `migrated: false`.
 */
export async function testDatabaseUrl(
  opts: { migrated?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = process.env.PLINTH_TEST_DATABASE_URL;
  if (!server) return { url: 'memory', drop: async () => {} };
  const template = opts.migrated === false ? undefined : await migratedTemplate(server);
  return freshDatabase(server, 'plinth_test', template);
}

/** A new database on a PostgreSQL server (benchmarks use it too), and how to drop it. */
export async function freshDatabase(
  server: string,
  prefix: string,
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(server, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return {
    url: databaseUrl(server, name),
    drop: async () => {
      await onServer(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(server: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * The name of a database on `server` migrated to this checkout's schema, made by the first test process that asks
 * (an advisory lock keeps the others waiting for it). Its name carries the schema's checksum, so a changed
 * migration or SQL source makes a new one. Migrating a database costs a second or more; copying one, a fraction.
 */
let template: Promise<string> | undefined;
function migratedTemplate(server: string): Promise<string> {
  template ??= makeTemplate(server).catch((e: unknown) => {
    template = undefined;
    throw e;
  });
  return template;
}

async function makeTemplate(server: string): Promise<string> {
  const schema = createHash('sha256');
  for (const f of [...migrationFiles(), ...sourceFiles()]) schema.update(`${f.name}:${f.checksum}\n`);
  const name = `plinth_template_${schema.digest('hex').slice(0, 16)}`;
  return onServer(server, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(7240002)');
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return name;
      // Built under another name and renamed when complete: a process that died half way leaves no template.
      const building = `${name}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      const database = await openDatabase({
        url: databaseUrl(server, building),
        dataDir: '/tmp/plinth-test-unused',
      });
      try {
        await migrate(database);
      } finally {
        await database.close();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock(7240002)');
    }
  });
}
