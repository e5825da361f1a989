import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Where integration tests put their data. By default each test file gets an ephemeral embedded PGlite. With
 * PLINTH_TEST_DATABASE_URL (CI sets it to a throwaway PostgreSQL 15 cluster) each file gets a fresh database
 * on that server, dropped afterwards.
 */
export async function testDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = process.env.PLINTH_TEST_DATABASE_URL;
  if (!server) return { url: 'memory', drop: async () => {} };
  return throwawayDatabase(server, 'plinth_test');
}

/** A fresh database on a PostgreSQL server (tests, benchmarks), and how to drop it. */
export async function throwawayDatabase(
  server: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
