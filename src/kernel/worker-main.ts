import { parentPort } from 'node:worker_threads';
import type { TaskReply, TaskRequest } from './worker-pool.js';

/**
 * A worker thread of the WorkerPool: runs one task at a time. A task's result goes back in parts on the port the
 * task came with (one part for a plain function, one per value a generator yields); then the reply on the parent
 * port says how many, or what went wrong.
 */

type Task = (...args: unknown[]) => unknown;

const isIterator = (v: unknown): v is AsyncIterable<unknown> | Iterable<unknown> =>
  typeof v === 'object' &&
  v !== null &&
  (Symbol.asyncIterator in v || Symbol.iterator in v) &&
  typeof (v as { next?: unknown }).next === 'function';

async function run(request: TaskRequest): Promise<number> {
  const module = (await import(request.module)) as Record<string, unknown>;
  const fn = module[request.name];
  if (typeof fn !== 'function') throw new TypeError(`${request.module} has no function ${request.name}`);
  const result = await (fn as Task)(...request.args);
  if (!request.parts) {
    request.port.postMessage(result);
    return 1;
  }
  if (!isIterator(result)) throw new TypeError(`${request.name} does not return an iterator of parts`);
  let count = 0;
  for await (const part of result) {
    request.port.postMessage(part);
    count++;
  }
  return count;
}

const port = parentPort;
if (!port) throw new Error('worker-main runs in a worker thread');
port.on('message', (request: TaskRequest) => {
  run(request).then(
    // The task's port is left open: the main thread closes it once it has taken the parts.
    (done) => {
      port.postMessage({ id: request.id, done } satisfies TaskReply);
    },
    (e: unknown) => {
      const error = e instanceof Error ? e : new Error(String(e));
      port.postMessage({
        id: request.id,
        error: { name: error.name, message: error.message, stack: error.stack },
      } satisfies TaskReply);
    },
  );
});
