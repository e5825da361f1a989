import { readdirSync, readFileSync } from 'node:fs';
import { processCpuMs } from '../../lib/postgres.js';

/**
 * CPU time used so far (ms) by the process `pid` (with its children) and by the PostgreSQL backends connected to `database` (their
 * process title names it), read from /proc; NaN where /proc is not there. Take it before and after a phase: the
 * difference is what the phase cost each of them, whatever else runs on the machine.
 */
export function cpuMs(pid: number, database: string): { server: number; postgres: number } {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return { server: Number.NaN, postgres: Number.NaN };
  }
  let postgres = 0;
  for (const e of entries) {
    let title: string;
    try {
      title = readFileSync(`/proc/${e}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (title.startsWith('postgres:') && title.includes(` ${database} `))
      postgres += processCpuMs(Number(e)) || 0;
  }
  return { server: [pid, ...childrenOf(pid)].reduce((sum, p) => sum + processCpuMs(p), 0), postgres };
}

/** The pids of a process's children (`plinth serve` with PLINTH_HTTP_PROCESSES > 1 forks them). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
