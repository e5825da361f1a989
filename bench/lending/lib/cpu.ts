import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ) in /proc/<pid>/stat. */
const TICK_MS = 10;

function ticks(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0;
  }
}

/**
 * CPU time used so far (ms) by the process `pid` and by the PostgreSQL backends connected to `database` (their
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
    if (title.startsWith('postgres:') && title.includes(` ${database} `)) postgres += ticks(e);
  }
  return { server: ticks(String(pid)) * TICK_MS, postgres: postgres * TICK_MS };
}
