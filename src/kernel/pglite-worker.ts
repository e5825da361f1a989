import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { PgliteReply, PgliteRequest, SerializedError } from './pglite-thread.js';

/**
 * The embedded database's own thread (see pglite-thread.ts for why). It opens PGlite and runs what the main thread
 * asks, one message per call; PGlite itself queues calls behind an open transaction, as it does in process.
 */

const port = parentPort;
if (!port) throw new Error('pglite-worker runs in a worker thread');

const send = (reply: PgliteReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

function serialize(e: unknown): SerializedError {
  const error = e instanceof Error ? e : new Error(String(e));
  const fields: Record<string, string | number | boolean> = {};
  // DatabaseError's fields (code, constraint, detail, ...) are what callers branch on.
  for (const [key, value] of Object.entries(error)) {
    if (['string', 'number', 'boolean'].includes(typeof value))
      fields[key] = value as string | number | boolean;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

/** Identity parsers for the types the caller wants as the server's text (drizzle reads dates and times so). */
const asText = (value: string) => value;
function parsersFor(rawTypes: number[]) {
  return Object.fromEntries(rawTypes.map((t) => [t, asText]));
}

interface OpenTransaction {
  tx: Transaction;
  finish: (commit: boolean) => void;
  done: Promise<unknown>;
}

class Rollback extends Error {}

const transactions = new Map<number, OpenTransaction>();
const listeners = new Map<string, () => Promise<void>>();

const image = workerData.image as ArrayBuffer | undefined;
const db = await PGlite.create({
  dataDir: workerData.dataDir as string | undefined,
  loadDataDir: image && new Blob([image]),
});

function target(tx: number | null): PGlite | Transaction {
  if (tx === null) return db;
  const open = transactions.get(tx);
  if (!open) throw new Error(`transaction ${tx} is not open`);
  return open.tx;
}

function begin(id: number): void {
  let begun = false;
  let finish: (commit: boolean) => void = () => {};
  const done = db.transaction(async (tx) => {
    const ended = new Promise<boolean>((resolve) => {
      finish = resolve;
    });
    transactions.set(id, { tx, finish: (commit) => finish(commit), done });
    begun = true;
    send({ id, value: id });
    if (!(await ended)) throw new Rollback();
  });
  done.catch((e: unknown) => {
    if (!begun) send({ id, error: serialize(e) });
  });
}

function end(id: number, tx: number, commit: boolean): void {
  const open = transactions.get(tx);
  if (!open) {
    send({ id, error: serialize(new Error(`transaction ${tx} is not open`)) });
    return;
  }
  transactions.delete(tx);
  open.finish(commit);
  open.done.then(
    () => send({ id, value: null }),
    (e: unknown) => send(e instanceof Rollback ? { id, value: null } : { id, error: serialize(e) }),
  );
}

async function handle(request: PgliteRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const result = await target(request.tx).query(request.text, request.params, {
        rowMode: request.rowMode,
        parsers: parsersFor(request.rawTypes),
      });
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    }
    case 'exec': {
      const results = await target(request.tx).exec(request.text);
      return results.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
    }
    case 'listen': {
      if (!listeners.has(request.channel)) {
        const channel = request.channel;
        listeners.set(channel, await db.listen(channel, (payload) => send({ channel, payload })));
      }
      return null;
    }
    case 'unlisten': {
      const stop = listeners.get(request.channel);
      listeners.delete(request.channel);
      await stop?.();
      return null;
    }
    case 'dump':
      return (await db.dumpDataDir('none')).arrayBuffer();
    case 'close':
      await db.close();
      return null;
    default:
      throw new Error(`unknown request ${(request as { op: string }).op}`);
  }
}

port.on('message', (request: PgliteRequest) => {
  if (request.op === 'begin') return begin(request.id);
  if (request.op === 'end') return end(request.id, request.tx, request.commit);
  handle(request).then(
    (value) => send({ id: request.id, value }, value instanceof ArrayBuffer ? [value] : []),
    (e: unknown) => send({ id: request.id, error: serialize(e) }),
  );
});
send({ id: 0, value: 'ready' });
