import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '../../../scripts/pg-cluster.sh');

/**
 * The PostgreSQL a benchmark runs on: PLINTH_BENCH_DATABASE_URL (a fresh database is created on that server and
 * dropped afterwards), else a throwaway PostgreSQL 15 cluster started here and stopped at the end.
 */
export async function benchPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const pg = (await import('pg')).default;
  let server = process.env.PLINTH_BENCH_DATABASE_URL;
  let dir: string | undefined;
  if (!server) {
    dir = mkdtempSync(join(tmpdir(), 'plinth-bench-pg-'));
    server = execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8' }).trim();
  }
  const name = `plinth_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      if (dir) execFileSync('bash', [SCRIPT, 'stop', dir]);
    },
  };
}

/** Resident memory of the PostgreSQL server processes, in MB: the largest one and the sum (shared pages count in each). */
export function postgresRssMb(): { largest: number; sum: number } {
  try {
    const out = execFileSync('ps', ['-C', 'postgres', '-o', 'rss='], { encoding: 'utf8' });
    const kb = out
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
    return { largest: Math.max(0, ...kb) / 1024, sum: kb.reduce((a, b) => a + b, 0) / 1024 };
  } catch {
    return { largest: Number.NaN, sum: Number.NaN };
  }
}
