import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MessageChannel, threadId } from 'node:worker_threads';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { receiveParts, WorkerPool, WorkerTaskError, workerTask } from './worker-pool.js';

const task = (name: string) => workerTask(import.meta.url, './worker-pool.fixture', name);
const pool = new WorkerPool({ size: 2, idleMs: 2_000 });
afterAll(() => pool.close());

/** The longest the event loop was held up while `work` ran, in milliseconds. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await work();
  delay.disable();
  return delay.max / 1e6;
}

describe('WorkerPool', () => {
  it('runs a module’s function in another thread, plain or async', async () => {
    expect(await pool.run(task('add'), [2, 3])).toBe(5);
    expect(await pool.run(task('later'), ['x'])).toBe('x');
    const other = await pool.run<number>(task('thread'), []);
    expect(other).not.toBe(threadId);
  });

  it('resolves the module with the caller’s own extension', () => {
    expect(workerTask('file:///app/src/a/b.ts', './c/d', 'f')).toEqual({
      module: 'file:///app/src/a/c/d.ts',
      name: 'f',
    });
    expect(workerTask('file:///app/dist/a/b.js', '../d', 'f')).toEqual({
      module: 'file:///app/dist/d.js',
      name: 'f',
    });
  });

  it('returns a generator’s parts in order', async () => {
    const parts = await pool.collect<number[]>(task('count'), [10_000, 128]);
    expect(parts).toHaveLength(79);
    expect(parts.flat()).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('fails a task with the error thrown in the worker, and goes on serving', async () => {
    const failed = pool.run(task('fail'), ['no such thing']);
    await expect(failed).rejects.toThrow(WorkerTaskError);
    await expect(failed).rejects.toThrow('no such thing');
    await expect(failed).rejects.toHaveProperty(
      'stack',
      expect.stringContaining('RangeError: no such thing'),
    );
    await expect(pool.run(task('missing'), [])).rejects.toThrow('has no function missing');
    await expect(pool.run(workerTask(import.meta.url, './nowhere', 'f'), [])).rejects.toThrow(
      WorkerTaskError,
    );
    await expect(pool.run(task('add'), [() => 1, 2])).rejects.toThrow('cannot be sent to a worker');
    expect(await pool.run(task('add'), [1, 1])).toBe(2);
  });

  it('fails the task of a worker that dies, and starts another for the next', async () => {
    await expect(pool.run(task('crash'), [])).rejects.toThrow('the worker thread stopped (exit code 3)');
    expect(await pool.run(task('add'), [4, 4])).toBe(8);
  });

  it('queues tasks beyond its size', async () => {
    const one = new WorkerPool({ size: 1 });
    try {
      const threads = await Promise.all([1, 2, 3].map(() => one.run<number>(task('thread'), [])));
      expect(new Set(threads).size).toBe(1);
      const results = await Promise.all([one.run(task('spin'), [50]), one.run(task('add'), [1, 2])]);
      expect(results[1]).toBe(3);
    } finally {
      await one.close();
    }
    await expect(one.run(task('add'), [1, 2])).rejects.toThrow('closed');
  });

  it('keeps the event loop turning while a task computes', async () => {
    // In this thread the spin would hold the loop for all of its 600 ms.
    expect(await longestStall(() => pool.run(task('spin'), [600]))).toBeLessThan(300);
  });

  it('takes a result one part per turn of the event loop, so other work runs between two parts', async () => {
    const { port1, port2 } = new MessageChannel();
    for (let i = 0; i < 200; i++) port2.postMessage([{ id: `T-${i}`, amount: -i }]);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const parts = await receiveParts(port1, 200);
    ticking = false;
    expect(parts).toHaveLength(200);
    expect(parts[199]).toEqual([{ id: 'T-199', amount: -199 }]);
    // All 200 were queued at once; taken together (as a 'message' listener would) nothing could run between.
    expect(turns).toBeGreaterThanOrEqual(199);
  });

  it('brings back a large result in parts', async () => {
    const parts = await pool.collect<unknown[]>(task('records'), [200_000, 1_000]);
    expect(parts).toHaveLength(200);
    expect(parts.flat()[199_999]).toEqual({ id: 'T-199999', amount: -199_999, memo: expect.any(String) });
  });

  it('works once compiled to JavaScript, with no TypeScript loader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-worker-pool-'));
    try {
      for (const name of ['worker-pool', 'worker-main', 'worker-pool.fixture']) {
        const source = readFileSync(new URL(`./${name}.ts`, import.meta.url), 'utf8');
        const { outputText } = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
          fileName: `${name}.ts`,
        });
        writeFileSync(join(dir, `${name}.js`), outputText);
      }
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(
        join(dir, 'main.js'),
        `import { WorkerPool, workerTask } from './worker-pool.js';
         const pool = new WorkerPool({ size: 1 });
         const task = (name) => workerTask(import.meta.url, './worker-pool.fixture', name);
         const sum = await pool.run(task('add'), [20, 22]);
         const parts = await pool.collect(task('count'), [5, 2]);
         console.log(JSON.stringify({ sum, parts }));`,
      );
      const child = spawnSync(process.execPath, [join(dir, 'main.js')], { encoding: 'utf8' });
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toEqual({ sum: 42, parts: [[0, 1], [2, 3], [4]] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
