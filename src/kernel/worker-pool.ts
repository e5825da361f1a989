import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * Runs pure, CPU-heavy functions (parsing a 50 MB statement file) in worker threads, so the event loop that answers
 * requests is never blocked by them.
 *
 * A task names a module and one of its exports; the function runs in a worker with the given arguments, which are
 * copied there (structured clone). Its result comes back in parts: `run` returns a function's single value, and
 * `collect` the values a generator function yields. Each part is received on its own turn of the event loop, so
 * a large result (hundreds of thousands of records, whose deserialization alone takes seconds) is split by the task
 * into parts of a few milliseconds each and never blocks the loop either.
 *
 * The worker file is resolved next to this module: `worker-main.js` once compiled, and under TypeScript sources
 * (tsx, vitest) `worker-main.ts` through `worker-tsx.mjs`, which registers tsx's loader in the new thread first (a
 * loader registered with `module.register()` in the main thread does not reach workers).
 *
 * Workers start on first use, at most `size` of them; tasks beyond wait their turn. An idle worker does not keep
 * the process alive and is stopped after `idleMs`. A worker that dies (an uncaught error, running out of memory)
 * fails its task and is replaced by the next one.
 */

export interface WorkerTask {
  /** URL of the module, e.g. `workerTask(import.meta.url, './parse', 'parseFile')`. */
  module: string;
  /** The export to call. */
  name: string;
}

/**
 * A task in a module given relative to the caller (`import.meta.url`). The caller's own extension is used, so the
 * same call finds `parse.ts` when run from sources and `parse.js` once compiled.
 */
export function workerTask(from: string, path: string, name: string): WorkerTask {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(from).pathname)?.[0] ?? '.js';
  return { module: new URL(`${path}${extension}`, from).href, name };
}

export class WorkerTaskError extends Error {
  constructor(message: string, remoteStack?: string) {
    super(message);
    this.name = 'WorkerTaskError';
    if (remoteStack) this.stack = `${this.stack}\n    --- in the worker thread ---\n${remoteStack}`;
  }
}

/** Messages of worker-main.ts. */
export interface TaskRequest {
  id: number;
  module: string;
  name: string;
  args: unknown[];
  parts: boolean;
  port: MessagePort;
}
export type TaskReply =
  | { id: number; done: number }
  | { id: number; error: { name: string; message: string; stack?: string } };

interface Job {
  request: Omit<TaskRequest, 'id' | 'port'>;
  resolve: (parts: unknown[]) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: (Job & { id: number; port: MessagePort }) | null;
  idleTimer: NodeJS.Timeout | null;
  /** Failed or stopping: takes no more tasks. */
  dead: boolean;
}

const FROM_SOURCES = import.meta.url.endsWith('.ts');

function startWorker(): Worker {
  if (!FROM_SOURCES) return new Worker(new URL('./worker-main.js', import.meta.url));
  return new Worker(new URL('./worker-tsx.mjs', import.meta.url), {
    workerData: { entry: new URL('./worker-main.ts', import.meta.url).href },
  });
}

export interface WorkerPoolOptions {
  /** Most workers at once; default: one per core beyond the first, at most 2 (the main thread needs a core). */
  size?: number;
  /** An idle worker is stopped after this long; default 30 s. */
  idleMs?: number;
}

export class WorkerPool {
  readonly #size: number;
  readonly #idleMs: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(opts: WorkerPoolOptions = {}) {
    this.#size = Math.max(1, opts.size ?? Math.min(2, availableParallelism() - 1));
    this.#idleMs = opts.idleMs ?? 30_000;
  }

  /** Calls the task's function with `args` in a worker; resolves with what it returns (or its promise resolves to). */
  async run<T>(task: WorkerTask, args: unknown[]): Promise<T> {
    const [value] = await this.#submit(task, args, false);
    return value as T;
  }

  /** Calls the task's generator function with `args` in a worker; resolves with every value it yielded, in order. */
  collect<T>(task: WorkerTask, args: unknown[]): Promise<T[]> {
    return this.#submit(task, args, true) as Promise<T[]>;
  }

  /** Stops every worker; tasks still running or waiting fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new WorkerTaskError('the worker pool was closed'));
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #submit(task: WorkerTask, args: unknown[], parts: boolean): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new WorkerTaskError('the worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ request: { module: task.module, name: task.name, args, parts }, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => s.job === null && !s.dead) ?? this.#spawn();
      if (!slot) return;
      this.#start(slot, this.#queue.shift()!);
    }
  }

  #spawn(): Slot | undefined {
    if (this.#slots.length >= this.#size) return undefined;
    const slot: Slot = { worker: startWorker(), job: null, idleTimer: null, dead: false };
    slot.worker.on('message', (reply: TaskReply) => this.#onReply(slot, reply));
    slot.worker.on('error', (e) => {
      slot.dead = true;
      this.#fail(slot, new WorkerTaskError(`the worker thread failed: ${e.message}`));
    });
    slot.worker.on('exit', (code) => {
      slot.dead = true;
      this.#fail(slot, new WorkerTaskError(`the worker thread stopped (exit code ${code})`));
      this.#slots.splice(this.#slots.indexOf(slot), 1);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      this.#dispatch();
    });
    this.#slots.push(slot);
    return slot;
  }

  #start(slot: Slot, job: Job): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const { port1, port2 } = new MessageChannel();
    const id = this.#nextId++;
    slot.job = { ...job, id, port: port1 };
    slot.worker.ref();
    const request: TaskRequest = { ...job.request, id, port: port2 };
    try {
      slot.worker.postMessage(request, [port2]);
    } catch (e) {
      // Arguments that cannot be cloned (a function, a class instance with private state).
      this.#finish(slot);
      job.reject(
        new WorkerTaskError(`the task's arguments cannot be sent to a worker: ${(e as Error).message}`),
      );
    }
  }

  #onReply(slot: Slot, reply: TaskReply): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    this.#finish(slot);
    if ('error' in reply) {
      job.port.close();
      job.reject(new WorkerTaskError(reply.error.message, reply.error.stack));
    } else void receiveParts(job.port, reply.done).then(job.resolve, job.reject);
  }

  #fail(slot: Slot, e: Error): void {
    const job = slot.job;
    if (!job) return;
    slot.job = null;
    job.port.close();
    job.reject(e);
  }

  /** The slot takes the next task, or idles: unref'd, and stopped after a while. */
  #finish(slot: Slot): void {
    slot.job = null;
    if (this.#queue.length > 0) {
      this.#start(slot, this.#queue.shift()!);
      return;
    }
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      slot.dead = true;
      void slot.worker.terminate();
    }, this.#idleMs);
    slot.idleTimer.unref();
  }
}

/**
 * Takes `count` parts off the port, one per turn of the event loop, so that timers and I/O run between two
 * deserializations. The worker posted them all before it replied, and a post reaches the port's queue at once.
 */
export async function receiveParts(port: MessagePort, count: number): Promise<unknown[]> {
  const parts: unknown[] = [];
  try {
    while (parts.length < count) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const received = receiveMessageOnPort(port);
      if (!received)
        throw new WorkerTaskError(`the worker's result is incomplete (${parts.length} of ${count} parts)`);
      parts.push(received.message);
    }
    return parts;
  } finally {
    port.close();
  }
}
