import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Counts the SQL statements Plinth sends, at the database client (PGlite's query/exec/transaction, node-postgres'
 * Client.query), by their first words: where a request's round trips go. A transaction counts its BEGIN and its
 * COMMIT. Installed once, before the context opens its database.
 */
export interface StatementCounter {
  reset(): void;
  total(): number;
  /** The most frequent statement openings since the last reset, with their counts. */
  top(n: number): [string, number][];
}

export function countStatements(): StatementCounter {
  const seen = new Map<string, number>();
  const record = (q: unknown) => {
    const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? String(q));
    const opening = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    seen.set(opening, (seen.get(opening) ?? 0) + 1);
  };
  // biome-ignore lint/suspicious/noExplicitAny: patching the clients' prototypes to count what they send.
  const lite = PGlite.prototype as any;
  for (const method of ['query', 'exec'] as const) {
    const original = lite[method];
    lite[method] = function (this: unknown, text: unknown, ...rest: unknown[]) {
      record(text);
      return original.call(this, text, ...rest);
    };
  }
  const transaction = lite.transaction;
  lite.transaction = function (this: unknown, fn: (tx: object) => Promise<unknown>) {
    record('BEGIN');
    const counted = (tx: object) =>
      fn(
        new Proxy(tx, {
          get(target, k) {
            const v = Reflect.get(target, k);
            if (k !== 'query' && k !== 'exec') return v;
            return (text: unknown, ...rest: unknown[]) => {
              record(text);
              return v(text, ...rest);
            };
          },
        }),
      );
    return transaction.call(this, counted).finally(() => record('COMMIT'));
  };
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const client = pg.Client.prototype as any;
  const query = client.query;
  client.query = function (this: unknown, q: unknown, ...rest: unknown[]) {
    record(q);
    return query.call(this, q, ...rest);
  };
  return {
    reset: () => seen.clear(),
    total: () => [...seen.values()].reduce((a, b) => a + b, 0),
    top: (n) => [...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, n),
  };
}
