import { Worker } from 'node:worker_threads';
import pg from 'pg';

/**
 * Counts the SQL statements Plinth sends, at the database client (the messages to the embedded database's
 * thread, node-postgres' Client.query), by their first words: where a request's round trips go. A transaction
 * counts its BEGIN and its COMMIT. Installed once, before the context opens its database.
 */
export interface StatementCounter {
  /** Starts counting afresh. */
  reset(): void;
  /** Stops counting (the timed rounds: the count's own work is not Plinth's). */
  stop(): void;
  total(): number;
  /** Statements sent since the counter was installed, counted also while stopped (a bare increment). */
  sent(): number;
  /** The most frequent statement openings since the last reset, with their counts. */
  top(n: number): [string, number][];
  /** The embedded database's thread once it was sent a statement (null on PostgreSQL). */
  databaseThread(): Worker | null;
  /**
   * PostgreSQL's round trips since the last `clearRoundTrips`, on the wall clock (performance.timeOrigin + now):
   * each statement from node-postgres' Client.query to its answer (its commit included), in the order they ended.
   */
  roundTrips(): readonly { from: number; to: number }[];
  clearRoundTrips(): void;
}

export function countStatements(): StatementCounter {
  const seen = new Map<string, number>();
  let counting = true;
  let sent = 0;
  const trips: { from: number; to: number }[] = [];
  const wallClock = () => performance.timeOrigin + performance.now();
  const record = (q: unknown) => {
    sent++;
    if (!counting) return;
    const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? String(q));
    const opening = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    seen.set(opening, (seen.get(opening) ?? 0) + 1);
  };
  // The embedded database runs in a thread of its own (kernel/pglite-thread.ts): every statement is a message.
  let thread: Worker | null = null;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
    const m = message as { op?: string; text?: string; commit?: boolean } | null;
    if (m?.op) thread = this;
    if (m?.op === 'query' || m?.op === 'exec') record(m.text);
    else if (m?.op === 'begin') record('BEGIN');
    else if (m?.op === 'end') record(m.commit ? 'COMMIT' : 'ROLLBACK');
    return post.call(this, message, ...(rest as []));
  };
  // biome-ignore lint/suspicious/noExplicitAny: patching the client's prototype to count what it sends.
  const client = pg.Client.prototype as any;
  const query = client.query;
  client.query = function (this: unknown, q: unknown, ...rest: unknown[]) {
    record(q);
    // Timed from here to the answer: the pool passes a callback, a caller without one gets a promise.
    const from = wallClock();
    const end = () => {
      trips.push({ from, to: wallClock() });
    };
    const last = rest.length - 1;
    if (typeof rest[last] === 'function') {
      const cb = rest[last] as (...a: unknown[]) => unknown;
      rest[last] = (...a: unknown[]) => {
        end();
        return cb(...a);
      };
      return query.call(this, q, ...rest);
    }
    const answer = query.call(this, q, ...rest);
    if (answer instanceof Promise) answer.then(end, end);
    return answer;
  };
  return {
    reset: () => {
      seen.clear();
      counting = true;
    },
    stop: () => {
      counting = false;
    },
    total: () => [...seen.values()].reduce((a, b) => a + b, 0),
    sent: () => sent,
    top: (n) => [...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, n),
    databaseThread: () => thread,
    roundTrips: () => trips,
    clearRoundTrips: () => {
      trips.length = 0;
    },
  };
}
