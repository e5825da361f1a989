import cluster, { type Worker } from 'node:cluster';
import { isIP } from 'node:net';
import type { Config } from '../kernel/config.js';

export interface ThrottleLimits {
  /** Failed authentications a source may make in one window. */
  limit: number;
  windowMs: number;
}

export const authThrottleLimits = (
  c: Pick<Config, 'PLINTH_AUTH_FAILURE_LIMIT' | 'PLINTH_AUTH_FAILURE_WINDOW_SECONDS'>,
): ThrottleLimits => ({
  limit: c.PLINTH_AUTH_FAILURE_LIMIT,
  windowMs: c.PLINTH_AUTH_FAILURE_WINDOW_SECONDS * 1000,
});

interface Entry {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

/** Sources tracked at most; past it, expired entries go first, then the oldest. */
const MAX_SOURCES = 100_000;

/**
 * The address failures are counted against: an IPv4 address, or an IPv6 /64 (one subscriber's network: counting
 * single IPv6 addresses would give each attacker 2^64 fresh sources).
 */
export function sourceOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Failed authentications per source in a fixed window that starts at the source's first failure. Once a source
 * reaches the limit it is refused (429, Retry-After) until the window ends, whatever it presents: were a correct
 * guess still let through, guessing would go on. A success never resets the count (an attacker holding one valid
 * key must not be able to clear its failures with it).
 */
export class AuthThrottle {
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly limits: ThrottleLimits,
    private readonly now: () => number = Date.now,
    /** Told of every failure (the cluster primary counts them across processes). */
    private readonly onFailure?: (source: string) => void,
  ) {}

  /** Whole seconds until `source` may try again; 0 when it may now. */
  retryAfter(source: string): number {
    const e = this.#entries.get(source);
    if (!e) return 0;
    const left = e.blockedUntil - this.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Counts a failure; returns the seconds `source` is now refused for (0 while under the limit). */
  failed(source: string): number {
    this.onFailure?.(source);
    const at = this.now();
    let e = this.#entries.get(source);
    if (!e || at - e.windowStart >= this.limits.windowMs) {
      e = { windowStart: at, failures: 0, blockedUntil: 0 };
      this.#entries.delete(source);
      this.#entries.set(source, e);
      this.#prune(at);
    }
    e.failures++;
    if (e.failures >= this.limits.limit) e.blockedUntil = e.windowStart + this.limits.windowMs;
    return this.retryAfter(source);
  }

  /** Refuses `source` until `until` (a block decided elsewhere: the cluster primary). */
  block(source: string, until: number): void {
    const e = this.#entries.get(source);
    if (e) e.blockedUntil = Math.max(e.blockedUntil, until);
    else
      this.#entries.set(source, {
        windowStart: until - this.limits.windowMs,
        failures: 0,
        blockedUntil: until,
      });
    this.#prune(this.now());
  }

  #prune(at: number): void {
    if (this.#entries.size <= MAX_SOURCES) return;
    for (const [k, e] of this.#entries)
      if (at - e.windowStart >= this.limits.windowMs && e.blockedUntil <= at) this.#entries.delete(k);
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= MAX_SOURCES) break;
      this.#entries.delete(k);
    }
  }
}

type ThrottleMessage =
  | { plinth: 'auth-failure'; source: string }
  | { plinth: 'auth-block'; source: string; until: number };

const isThrottleMessage = (m: unknown): m is ThrottleMessage =>
  typeof m === 'object' &&
  m !== null &&
  'plinth' in m &&
  typeof (m as { source?: unknown }).source === 'string';

/**
 * The throttle of one HTTP process. In a `plinth serve` cluster each copy counts its own failures and also tells
 * the primary, which counts them across all copies and tells every copy to refuse a source that reached the limit
 * in total: spreading guesses over the copies gains nothing. (Separate nodes count separately.)
 */
export function createAuthThrottle(limits: ThrottleLimits): AuthThrottle {
  if (!cluster.isWorker) return new AuthThrottle(limits);
  const throttle = new AuthThrottle(limits, Date.now, (source) =>
    process.send?.({ plinth: 'auth-failure', source } satisfies ThrottleMessage),
  );
  process.on('message', (m: unknown) => {
    if (isThrottleMessage(m) && m.plinth === 'auth-block') throttle.block(m.source, m.until);
  });
  return throttle;
}

/** In the cluster primary: counts the copies' failures together and broadcasts the blocks. */
export function coordinateAuthThrottle(limits: ThrottleLimits): void {
  const total = new AuthThrottle(limits);
  cluster.on('message', (_worker: Worker, m: unknown) => {
    if (!isThrottleMessage(m) || m.plinth !== 'auth-failure') return;
    const seconds = total.failed(m.source);
    if (seconds === 0) return;
    const block: ThrottleMessage = {
      plinth: 'auth-block',
      source: m.source,
      until: Date.now() + seconds * 1000,
    };
    for (const w of Object.values(cluster.workers ?? {})) w?.send(block);
  });
}
