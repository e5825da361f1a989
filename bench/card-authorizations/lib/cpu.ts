import type { Database } from '../../../src/kernel/db.js';
import { processCpuMs } from '../../lib/postgres.js';

/**
 * CPU time, which a busy shared machine disturbs far less than throughput: this process (server and load
 * generator threads together), and PostgreSQL's backends serving this database when the server runs on this
 * machine (read from /proc; null when it cannot be read).
 */
export interface CpuSample {
  processMicros: number;
  /** CPU so far of each backend serving this database, by pid (connections come and go). */
  postgres: Map<number, number> | null;
}

async function postgresMicros(db: Database): Promise<Map<number, number> | null> {
  if (db.kind !== 'postgres') return null;
  try {
    const { rows } = await db.raw.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    );
    const byPid = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (Number.isNaN(ms)) return null;
      byPid.set(pid, ms * 1000);
    }
    return byPid;
  } catch {
    return null;
  }
}

export async function cpuSample(db: Database): Promise<CpuSample> {
  const u = process.cpuUsage();
  return { processMicros: u.user + u.system, postgres: await postgresMicros(db) };
}

/**
 * Microseconds of CPU per decision between two samples. A backend that exited in between is not counted (the
 * pool keeps its connections while busy, so the figure is at worst slightly low).
 */
export function cpuPerDecision(a: CpuSample, b: CpuSample, decisions: number) {
  let postgres: number | null = null;
  if (a.postgres && b.postgres) {
    postgres = 0;
    for (const [pid, micros] of b.postgres) postgres += micros - (a.postgres.get(pid) ?? 0);
    postgres /= decisions;
  }
  return { plinth: (b.processMicros - a.processMicros) / decisions, postgres };
}
