import { randomUUID } from 'node:crypto';
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { ConfigurationError } from './errors.js';

interface LockOwner {
  pid: number;
  host: string;
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat), to tell a reused pid from it. */
  startTicks?: string;
  since: string;
  token: string;
}

export interface DirectoryLock {
  readonly path: string;
  release(): void;
}

/** How often the holder touches its lock, and how old a lock of another host must be to count as abandoned. */
const HEARTBEAT_MS = 10_000;
const FOREIGN_STALE_MS = 60_000;

/** Locks this process holds (a second open in the same process is refused like one from elsewhere). */
const held = new Set<string>();

/** Field 22 of /proc/<pid>/stat (Linux); undefined elsewhere or when the process is gone. */
function startTicks(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.token === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Why the lock at `path` is abandoned (its holder is gone), or undefined while someone may still hold it. */
function abandoned(path: string, owner: LockOwner | undefined): string | undefined {
  let age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return 'gone';
  }
  if (!owner) return age > FOREIGN_STALE_MS ? 'unreadable and old' : undefined;
  if (owner.host !== hostname())
    return age > FOREIGN_STALE_MS
      ? `not touched by host ${owner.host} for ${Math.round(age / 1000)} s`
      : undefined;
  if (owner.pid === process.pid)
    return held.has(path) ? undefined : 'left by an earlier process with this pid';
  if (!alive(owner.pid)) return `process ${owner.pid} is gone`;
  const ticks = startTicks(owner.pid);
  if (owner.startTicks && ticks && ticks !== owner.startTicks)
    return `pid ${owner.pid} now names another process`;
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An exclusive lock on a directory for as long as this process uses it: a lock file beside it, created with
 * O_EXCL, naming the holder (pid, host, start time). A lock whose holder is gone (killed: no chance to remove it)
 * is taken over: on this host when its pid is not running (or now names another process), from another host when
 * its holder stopped touching it (every 10 s) for a minute. Anything else is refused with a message naming the
 * directory and the holder.
 */
export async function lockDirectory(dir: string, what: string): Promise<DirectoryLock> {
  const path = `${dir}.lock`;
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startTicks: startTicks('self'),
    since: new Date().toISOString(),
    token: randomUUID(),
  };
  let takenOver = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(path);
      if (!abandoned(path, owner))
        throw new ConfigurationError(
          `${what} ${dir} is in use by process ${owner?.pid ?? '?'} on ${owner?.host ?? '?'} (since ${owner?.since ?? '?'}): ` +
            'stop that Plinth first, or give this one another PLINTH_DATA_DIR',
          'data_dir_in_use',
        );
      // Moved aside rather than deleted, so that of two processes taking over at once, one fails the check below.
      try {
        renameSync(path, `${path}.abandoned-${me.token}`);
        unlinkSync(`${path}.abandoned-${me.token}`);
      } catch {
        // Another process moved it first: try again from the top.
      }
      takenOver = true;
      continue;
    }
    if (takenOver) await sleep(100);
    // Someone who found the same abandoned lock may have replaced ours: whoever's token is in the file holds it.
    if (readOwner(path)?.token !== me.token) continue;
    held.add(path);
    const heartbeat = setInterval(() => {
      try {
        const now = new Date();
        if (readOwner(path)?.token === me.token) utimesSync(path, now, now);
      } catch {
        // The directory went away under us: nothing left to keep fresh.
      }
    }, HEARTBEAT_MS);
    heartbeat.unref();
    return {
      path,
      release() {
        clearInterval(heartbeat);
        held.delete(path);
        try {
          if (readOwner(path)?.token === me.token) unlinkSync(path);
        } catch {
          // Already gone.
        }
      },
    };
  }
  throw new ConfigurationError(
    `${what} ${dir}: could not take its lock (${path}); another process keeps taking it`,
  );
}
