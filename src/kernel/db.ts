import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getTableColumns, type SQL, type Table } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import {
  customType,
  date,
  type PgDatabase,
  PgDialect,
  type PgQueryResultHKT,
  type PgTransaction,
} from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { CalendarDate } from './dates.js';
import { type DirectoryLock, lockDirectory } from './dir-lock.js';
import { exactMinor } from './money.js';
import { type EmbeddedClient, openPgliteThread } from './pglite-thread.js';

/**
 * One database API whichever engine runs underneath: embedded PGlite (a real PostgreSQL compiled to WebAssembly)
 * or a PostgreSQL server through a node-postgres pool. Stores use `Db` (which a transaction also satisfies) and
 * never know which engine they talk to.
 */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>>;

export interface RawQuery {
  /**
   * `name`: run as a named prepared statement on PostgreSQL (parsed and planned once per connection; one name is
   * always one text). PGlite runs it as a plain query.
   */
  query<T = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    name?: string,
  ): Promise<{ rows: T[] }>;
}

export interface Session extends RawQuery {
  /** Multi-statement SQL without parameters (migrations). */
  exec(sqlText: string): Promise<void>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** A raw client for libraries that bring their own SQL (pg-boss). */
  raw: RawQuery;
  /** Runs `fn` on one dedicated connection (session-level advisory locks, migrations). */
  session<T>(fn: (s: Session) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: the rows of one query through a server-side cursor, `batchSize` rows a fetch, on a connection
   * of its own held until the rows are read (or the reader stops), all from one snapshot. A long read is planned
   * once and never holds the result. PGlite has no such member: it has one connection, which a cursor would hold.
   */
  cursor?<T = Record<string, unknown>>(query: SQL, batchSize: number): AsyncIterable<T[]>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** undefined: persisted PGlite under dataDir/db; 'memory': ephemeral PGlite; postgres://…: a server. */
  url?: string;
  dataDir: string;
  poolMax?: number;
}

/** An amount column in integer minor units (bigint; read as a number: every amount Plinth keeps is below 2^53). */
/** A bigint amount in minor units, read as an exact integer (`exactMinor`: beyond 2^53 is an error, never rounded). */
export const minorColumn = customType<{ data: number; driverData: string | number | bigint }>({
  dataType: () => 'bigint',
  fromDriver: (value) => exactMinor(value),
});

/** A calendar date column, read and written as a `YYYY-MM-DD` CalendarDate. */
export const dateColumn = (name: string) => date(name).$type<CalendarDate>();

/** A bytea column. PGlite returns bytea as Uint8Array and node-postgres as Buffer: normalised to Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * SQL for the json of the row of `table` that `from` (a CTE) holds, as rowFromJson reads it: numerics and bigints
 * as text, so they stay exact (JSON numbers are doubles). row_to_json writes json text directly, several times cheaper than to_jsonb (a hot read's
 * largest cost when the row carries jsonb columns).
 */
export function rowJsonSql(table: Table, from: string): string {
  const columns = Object.values(getTableColumns(table)).map((c) =>
    c.columnType === 'PgNumeric' || c.getSQLType() === 'bigint'
      ? `"${c.name}"::text AS "${c.name}"`
      : `"${c.name}"`,
  );
  return `(SELECT row_to_json(r) FROM (SELECT ${columns.join(', ')} FROM ${from}) AS r)`;
}

/**
 * A row of `table` from its json (rowJsonSql, or `to_jsonb(row)` with numerics that must stay exact cast to
 * text), each column converted as drizzle converts the driver's value, so it equals what a select of the row
 * returns.
 */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

/** Runs a raw SQL statement and returns its rows, on either engine. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url && opts.url !== 'memory') return openPostgres(opts.url, opts.poolMax ?? 20);
  if (opts.url === 'memory') return openMemory();
  const dataDir = resolve(join(opts.dataDir, 'db'));
  mkdirSync(dataDir, { recursive: true });
  // PGlite is a whole PostgreSQL inside this process: a second process on the same files would run a second
  // server over them and the two would split (and corrupt) the data.
  const lock = await lockDirectory(dataDir, 'the embedded database');
  try {
    return await openPglite(dataDir, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

/**
 * In-memory databases start from an image: the first one a process opens is created (initdb) and its empty files
 * are kept; each later one opens as a copy of them. Creating a cluster costs seconds, loading the copy a fraction
 * of that, and test workers, benches and the simulators open many. Each is still empty and migrated by its caller.
 */
let emptyCluster: Promise<ArrayBuffer | undefined> | undefined;

async function openMemory(): Promise<Database> {
  const image = await emptyCluster;
  if (image) return pgliteDatabase(await openPgliteThread(undefined, image));
  const client = await openPgliteThread(undefined);
  if (!emptyCluster) {
    emptyCluster = client.dump().catch(() => undefined);
    if (!(await emptyCluster)) emptyCluster = undefined;
  }
  return pgliteDatabase(client);
}

async function openPglite(dataDir: string, lock: DirectoryLock): Promise<Database> {
  return pgliteDatabase(await openPgliteThread(dataDir), lock);
}

function pgliteDatabase(client: EmbeddedClient, lock?: DirectoryLock): Database {
  // drizzle's PGlite driver calls only what the thread's client provides (query, transaction).
  const db = drizzlePglite({ client: client as never }) as unknown as Db;
  const session: Session = {
    exec: async (text) => {
      await client.exec(text);
    },
    query: async <T>(text: string, params?: readonly unknown[]) => {
      if (params && params.length > 0) return { rows: (await client.query<T>(text, [...params])).rows };
      // Parameterless text may hold several statements (pg-boss sends its schema that way).
      const results = await client.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as T[] };
    },
  };
  return {
    kind: 'pglite',
    db,
    raw: session,
    // PGlite has exactly one connection.
    session: (fn) => fn(session),
    listen: async (channel, onPayload) => {
      return client.listen(channel, onPayload);
    },
    notify: async (channel, payload) => {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(url: string, poolMax: number): Promise<Database> {
  // Idle connections are kept: a backend's compiled functions and cached plans (the card decision function's,
  // notably) are worth more than the memory, and rebuilding them under load shows in the latency tail.
  const pool = new pg.Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 0 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  await pool.query('SELECT 1');
  const db = drizzleNodePg(pool) as unknown as Db;
  const listeners: pg.PoolClient[] = [];
  return {
    kind: 'postgres',
    db,
    session: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (text) => {
            await client.query(text);
          },
          query: async <T>(text: string, params?: readonly unknown[]) => ({
            rows: (await client.query(text, params && [...params])).rows as T[],
          }),
        });
      } finally {
        client.release();
      }
    },
    raw: {
      query: async <T>(text: string, params?: readonly unknown[], name?: string) => {
        const r = await pool.query({ text, values: params && [...params], name });
        return { rows: r.rows as T[] };
      },
    },
    cursor: <T>(query: SQL, batchSize: number) => cursorRows<T>(pool, query, batchSize),
    listen: async (channel, onPayload) => {
      const client = await pool.connect();
      listeners.push(client);
      client.on('notification', (n) => {
        if (n.channel === channel) onPayload(n.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        // Closing twice (or after the pool closed) must not release the client twice.
        const i = listeners.indexOf(client);
        if (i < 0) return;
        listeners.splice(i, 1);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        client.release();
      };
    },
    notify: async (channel, payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: async () => {
      for (const c of listeners.splice(0)) c.release();
      await pool.end();
    },
  };
}

const dialect = new PgDialect();

async function* cursorRows<T>(pool: pg.Pool, query: SQL, batchSize: number): AsyncGenerator<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const client = await pool.connect();
  let failed = false;
  try {
    // A cursor lives in a transaction; READ ONLY says this one changes nothing.
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE plinth_cursor NO SCROLL CURSOR FOR ${text}`, params);
    // The next batch is asked for before this one is handed over, so the server computes it while the reader
    // works through this one (the two overlap instead of taking turns). Its failure surfaces at its own await; the
    // catch only keeps it from counting as unhandled when the reader stops before then.
    const fetch = () => {
      const next = client.query(`FETCH ${Math.max(1, Math.trunc(batchSize))} FROM plinth_cursor`);
      next.catch(() => {});
      return next;
    };
    let next = fetch();
    for (;;) {
      const { rows } = await next;
      const more = rows.length >= batchSize;
      if (more) next = fetch();
      if (rows.length > 0) yield rows as T[];
      if (!more) break;
    }
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // Also when the reader stopped early: the transaction ends and the connection goes back clean.
    await client.query('ROLLBACK').catch(() => {
      failed = true;
    });
    client.release(failed);
  }
}

/** Is this a unique-constraint violation (optionally of one named constraint or index)? Drizzle wraps driver errors. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  for (let cur: unknown = e; cur && typeof cur === 'object'; cur = (cur as { cause?: unknown }).cause) {
    const c = cur as { code?: string; constraint?: string; message?: string };
    if (c.code === '23505') {
      return !constraint || c.constraint === constraint || (c.message ?? '').includes(constraint);
    }
  }
  return false;
}
