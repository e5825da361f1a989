import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../../test/helpers/database.js';

const SCRIPT = join(import.meta.dirname, '../../scripts/pg-cluster.sh');

/**
 * The PostgreSQL a benchmark runs on: PLINTH_BENCH_DATABASE_URL (a fresh database is created on that server and
 * dropped afterwards), else a throwaway PostgreSQL 15 cluster started here and stopped at the end.
 */
export async function benchPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  let server = process.env.PLINTH_BENCH_DATABASE_URL;
  let dir: string | undefined;
  if (!server) {
    dir = mkdtempSync(join(tmpdir(), 'plinth-bench-pg-'));
    server = execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8' }).trim();
  }
  const db = await freshDatabase(server, 'plinth_bench');
  return {
    url: db.url,
    stop: async () => {
      await db.drop();
      if (dir) {
        execFileSync('bash', [SCRIPT, 'stop', dir]);
        rmSync(dir, { recursive: true, force: true });
      }
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
