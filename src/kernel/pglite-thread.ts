import { Worker } from 'node:worker_threads';

/**
 * The embedded database (PGlite) in a thread of its own.
 *
 * PGlite is PostgreSQL compiled to WebAssembly, and a statement runs synchronously on the thread that calls it. In
 * the serving thread, a close of business or an import froze everything else for as long as each statement ran:
 * health checks, other tenants, card decisions past their deadline. Here the main thread only posts each call to
 * the database thread and awaits its answer, so the event loop stays free while statements run.
 *
 * The client has the shape drizzle's PGlite driver and the rest of db.ts call (`query`, `exec`, `transaction`,
 * `listen`, `close`). A transaction stays open in the database thread until the main thread's callback settles;
 * PGlite holds every other call until then, as it did in process. Errors come back with their fields (`code`,
 * `constraint`, ...), which callers branch on.
 */

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, string | number | boolean>;
}

export type PgliteRequest =
  | {
      id: number;
      op: 'query';
      tx: number | null;
      text: string;
      params: unknown[];
      rowMode?: 'array' | 'object';
      /** Type oids to return as the server's text rather than parsed (drizzle's choice for dates and times). */
      rawTypes: number[];
    }
  | { id: number; op: 'exec'; tx: number | null; text: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen' | 'unlisten'; channel: string }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

export type PgliteReply =
  | { id: number; value: unknown }
  | { id: number; error: SerializedError }
  | { channel: string; payload: string };

export interface QueryResult<T> {
  rows: T[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

export interface EmbeddedQueries {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
  exec(text: string): Promise<QueryResult<unknown>[]>;
}

export interface EmbeddedClient extends EmbeddedQueries {
  transaction<T>(fn: (tx: EmbeddedQueries) => Promise<T>): Promise<T>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** The database's files as one uncompressed tarball: what `openPgliteThread`'s `image` starts from. */
  dump(): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

const FROM_SOURCES = import.meta.url.endsWith('.ts');

function startWorker(dataDir: string | undefined, image: ArrayBuffer | undefined): Worker {
  if (!FROM_SOURCES)
    return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: { dataDir, image } });
  // Under tsx or vitest the worker needs tsx's loader registered in its own thread (see worker-tsx.mjs).
  return new Worker(new URL('./worker-tsx.mjs', import.meta.url), {
    workerData: { entry: new URL('./pglite-worker.ts', import.meta.url).href, dataDir, image },
  });
}

function revive(e: SerializedError): Error {
  const error = Object.assign(new Error(e.message), e.fields);
  error.name = e.name;
  if (e.stack) error.stack = `${error.stack}\n    --- in the database thread ---\n${e.stack}`;
  return error;
}

type Pending = { resolve: (value: unknown) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Starts the database thread over `dataDir` (undefined: in memory) and resolves once PGlite is open. With `image`
 * (a `dump()` of another database), the new one starts as a copy of it instead of an empty cluster.
 */
export async function openPgliteThread(
  dataDir: string | undefined,
  image?: ArrayBuffer,
): Promise<EmbeddedClient> {
  const worker = startWorker(dataDir, image);
  const pending = new Map<number, Pending>();
  const channels = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let failure: Error | null = null;

  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('message', (reply: PgliteReply) => {
    if ('channel' in reply) {
      for (const cb of channels.get(reply.channel) ?? []) cb(reply.payload);
      return;
    }
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    // The thread keeps the process alive only while a call is in flight, as an in-process PGlite would.
    if (pending.size === 0) worker.unref();
    if ('error' in reply) p.reject(revive(reply.error));
    else p.resolve(reply.value);
  });
  worker.on('error', (e) =>
    fail(new Error(`the embedded database thread failed: ${e.message}`, { cause: e })),
  );
  worker.on('exit', (code) => fail(new Error(`the embedded database thread stopped (exit code ${code})`)));

  const call = <T>(request: DistributiveOmit<PgliteRequest, 'id'>): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...request, id });
    });
  };

  const queries = (tx: number | null): EmbeddedQueries => ({
    query: <T>(text: string, params: unknown[] = [], options: QueryOptions = {}) =>
      call<QueryResult<T>>({
        op: 'query',
        tx,
        text,
        params,
        rowMode: options.rowMode,
        rawTypes: Object.keys(options.parsers ?? {}).map(Number),
      }),
    exec: (text: string) => call<QueryResult<unknown>[]>({ op: 'exec', tx, text }),
  });

  // The thread's first message (id 0) says PGlite is open; if it cannot open, the thread fails and says why.
  await new Promise((resolve, reject) => pending.set(0, { resolve, reject }));

  return {
    ...queries(null),
    async transaction<T>(fn: (tx: EmbeddedQueries) => Promise<T>): Promise<T> {
      const tx = await call<number>({ op: 'begin' });
      let result: T;
      try {
        result = await fn(queries(tx));
      } catch (e) {
        // The caller's error is the one to see; a thread that failed meanwhile fails the next call anyway.
        await call({ op: 'end', tx, commit: false }).catch(() => {});
        throw e;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    async listen(channel, onPayload) {
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
        await call({ op: 'listen', channel });
      }
      set.add(onPayload);
      return async () => {
        const current = channels.get(channel);
        if (!current?.delete(onPayload) || current.size > 0) return;
        channels.delete(channel);
        await call({ op: 'unlisten', channel }).catch(() => {});
      };
    },
    dump: () => call<ArrayBuffer>({ op: 'dump' }),
    async close() {
      if (!failure) await call({ op: 'close' });
      failure ??= new Error('the embedded database is closed');
      await worker.terminate();
    },
  };
}
