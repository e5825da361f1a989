import { threadId } from 'node:worker_threads';

/** Tasks for worker-pool.test.ts, run in worker threads. */

export function add(a: number, b: number): number {
  return a + b;
}

export async function later(value: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return value;
}

/** Keeps the thread busy for `ms` milliseconds, as a large parse does. */
export function spin(ms: number): number {
  const until = Date.now() + ms;
  let n = 0;
  while (Date.now() < until) n++;
  return n;
}

export function* count(n: number, size: number): Generator<number[]> {
  for (let i = 0; i < n; i += size) yield Array.from({ length: Math.min(size, n - i) }, (_, k) => i + k);
}

/** `n` records like a statement's transactions, `size` to a part: objects are slow to deserialize. */
export function* records(n: number, size: number): Generator<{ id: string; amount: number; memo: string }[]> {
  for (let i = 0; i < n; i += size)
    yield Array.from({ length: Math.min(size, n - i) }, (_, k) => ({
      id: `T-${i + k}`,
      amount: -(i + k),
      memo: `CARD PURCHASE ${i + k} SHELL OIL 57442`,
    }));
}

export function fail(message: string): never {
  throw new RangeError(message);
}

export function crash(): never {
  process.exit(3);
}

export function thread(): number {
  return threadId;
}
