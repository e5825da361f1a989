import { write, writeSync } from 'node:fs';

/** Queued log output past which new lines are dropped (and counted) rather than held: a stalled reader must not
 * grow the heap without end. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** How long the flush at process exit may retry a full pipe before it gives up. */
const EXIT_FLUSH_MS = 500;

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number) => Atomics.wait(pause, 0, 0, ms);

/**
 * Where the logs go: a file descriptor (stdout) written asynchronously, line by line in order, like pino's own
 * destination, but with an end that is bounded. Pino's destination retries a failed write at exit for as long
 * as it fails: when whatever read stdout has gone (EPIPE), `plinth serve` never finished its SIGTERM. Here a
 * reader that has gone (any error but "try again") ends logging for good; the flush at exit retries a full pipe
 * for half a second at most; and `drain` lets a shutdown wait for the logs with a deadline.
 */
export class LogDestination {
  #queue: Buffer[] = [];
  #queued = 0;
  #writing = false;
  #broken = false;
  #dropped = 0;
  #drained: (() => void)[] = [];

  constructor(private readonly fd: number) {
    process.once('exit', () => this.flushSync());
  }

  /** True once the reader has gone: nothing more is written. */
  get broken(): boolean {
    return this.#broken;
  }

  write(line: string): boolean {
    if (this.#broken) return true;
    if (this.#queued >= MAX_QUEUED_BYTES) {
      this.#dropped++;
      return true;
    }
    if (this.#dropped > 0) {
      const note = `{"level":40,"time":${Date.now()},"msg":"dropped ${this.#dropped} log lines: the log reader did not keep up"}\n`;
      this.#dropped = 0;
      this.#enqueue(Buffer.from(note));
    }
    this.#enqueue(Buffer.from(line));
    return true;
  }

  #enqueue(b: Buffer): void {
    this.#queue.push(b);
    this.#queued += b.length;
    if (!this.#writing) this.#next();
  }

  #next(): void {
    if (this.#broken || this.#queue.length === 0) {
      this.#writing = false;
      for (const done of this.#drained.splice(0)) done();
      return;
    }
    this.#writing = true;
    const chunk = this.#queue.length === 1 ? this.#queue[0]! : Buffer.concat(this.#queue);
    this.#queue = [];
    this.#queued -= chunk.length;
    this.#writeAll(chunk);
  }

  #writeAll(chunk: Buffer): void {
    write(this.fd, chunk, (err, n) => {
      if (err) {
        if (err.code === 'EAGAIN') return void setTimeout(() => this.#writeAll(chunk), 10);
        return this.#stop();
      }
      if (n < chunk.length) return this.#writeAll(chunk.subarray(n));
      this.#next();
    });
  }

  #stop(): void {
    this.#broken = true;
    this.#queue = [];
    this.#queued = 0;
    this.#next();
  }

  /** Resolves when everything logged so far is written (or the reader has gone), or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (!this.#writing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#drained.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * At exit, no more event loop: what is queued is written synchronously, after the write in flight (which the
   * operating system completes or not). A full pipe is retried for EXIT_FLUSH_MS; any other error gives up.
   */
  flushSync(): void {
    if (this.#broken || this.#queue.length === 0) return;
    let chunk = Buffer.concat(this.#queue);
    this.#queue = [];
    this.#queued = 0;
    const deadline = Date.now() + EXIT_FLUSH_MS;
    while (chunk.length > 0) {
      try {
        chunk = chunk.subarray(writeSync(this.fd, chunk));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() >= deadline) {
          this.#broken = true;
          return;
        }
        sleepSync(5);
      }
    }
  }
}

let stdout: LogDestination | undefined;

/** The process's one stdout log destination (created on first use). */
export function stdoutLogs(): LogDestination {
  stdout ??= new LogDestination(1);
  return stdout;
}

/** Waits, at most `timeoutMs`, for the stdout logs to be written (a shutdown's last step before exiting). */
export const drainLogs = (timeoutMs: number): Promise<void> => stdout?.drain(timeoutMs) ?? Promise.resolve();
