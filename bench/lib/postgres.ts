import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../../test/helpers/database.js';

const SCRIPT = join(import.meta.dirname, '../../scripts/pg-cluster.sh');

/**
 * Settings for a bench cluster's bulk seed only: nothing is flushed or checkpointed while millions of rows go in
 * (no fsync, no full-page images, minimal WAL, checkpoints far apart). What the seed writes is the same; the
 * cluster is restarted with the durable defaults (`BenchCluster.restart()`) before anything is measured.
 */
export const BULK_LOAD = [
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'wal_level=minimal',
  'max_wal_senders=0',
  'max_wal_size=4GB', // segments recycled up to this stay on disk after the seed (16GB left 8.9 GB of WAL)
  'checkpoint_timeout=1h',
  'autovacuum=off',
  'maintenance_work_mem=512MB',
];

export interface BenchCluster {
  /** postgres://…/postgres on the cluster. */
  server: string;
  /** Stops it and starts it again with `settings` (none: the durable defaults); `server` changes (a new port). */
  restart(settings?: string[]): Promise<void>;
  /** Stops the server; `remove` deletes its directory too. */
  stop(remove: boolean): Promise<void>;
}

/**
 * A PostgreSQL 15 cluster in `dir` (scripts/pg-cluster.sh): made there when `dir` holds none, else the one there
 * started again, so a bench can keep a seeded cluster and measure on it later.
 */
export function benchCluster(dir: string, settings: string[] = []): BenchCluster {
  const start = (s: string[]) =>
    execFileSync('bash', [SCRIPT, 'start', dir], {
      encoding: 'utf8',
      env: { ...process.env, PG_CLUSTER_OPTS: s.map((x) => `-c ${x}`).join(' ') },
    }).trim();
  const cluster: BenchCluster = {
    server: start(settings),
    restart: async (s = []) => {
      execFileSync('bash', [SCRIPT, 'stop', dir]);
      cluster.server = start(s);
    },
    stop: async (remove) => {
      execFileSync('bash', [SCRIPT, 'stop', dir]);
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * The PostgreSQL a benchmark runs on: PLINTH_BENCH_DATABASE_URL (a fresh database is created on that server and
 * dropped afterwards), else a throwaway PostgreSQL 15 cluster started here and stopped at the end.
 */
export async function benchPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.PLINTH_BENCH_DATABASE_URL;
  const cluster = given ? undefined : benchCluster(mkdtempSync(join(tmpdir(), 'plinth-bench-pg-')));
  const db = await freshDatabase(given ?? cluster!.server, 'plinth_bench');
  return {
    url: db.url,
    stop: async () => {
      await db.drop();
      await cluster?.stop(true);
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

/**
 * CPU time (ms) process `pid` has used so far, from /proc (USER_HZ = 100); NaN where /proc is not there.
 * `thread-self`: the calling thread's own.
 */
export function processCpuMs(pid: number | 'thread-self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}
