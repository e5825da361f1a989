import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { processCpuMs } from './postgres.js';

/**
 * A benchmark's load generator in a thread of its own. The clients a benchmark stands in for (a card platform, a
 * lender's front end) are not in Plinth's process in real life: run on Plinth's event loop, their HTTP work would
 * be counted as Plinth's CPU and would queue behind Plinth's requests. In their own thread they take CPU from the
 * same cores (as much as on a shared machine) but not from the serving thread, and their CPU is measured apart
 * (`clientCpuMs`, to be subtracted from the process's).
 *
 * The thread is started once and kept for every run of the bench, as a client is not restarted between minutes
 * of traffic: its warm-up (module loading, JIT) is paid once, not inside every measured run.
 *
 * `module` is the load module: it calls `serveLoad` with what one run does; the main thread's `run(spec)` sends it
 * a spec and gets the run's outcome back.
 */
export class LoadThread<Spec, Out> {
  #worker: Worker | undefined;

  constructor(private readonly module: URL) {}

  run(spec: Spec): Promise<Out & { clientCpuMs: number }> {
    this.#worker ??= new Worker(new URL('./load-worker.mjs', import.meta.url), {
      workerData: { module: this.module.href },
    });
    const w = this.#worker;
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      w.once('error', onError);
      w.once('message', (o: Out & { clientCpuMs: number }) => {
        w.off('error', onError);
        resolve(o);
      });
      w.postMessage(spec);
    });
  }

  async stop(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = undefined;
  }
}

/**
 * In a load module, run by a LoadThread: answers each spec with `run`'s outcome and the CPU this thread spent on
 * it (ms, in ticks of 10 ms; NaN where /proc is not there). Does nothing on the main thread, so the module can
 * also export what the main thread needs.
 */
export function serveLoad<Spec, Out extends object>(run: (spec: Spec) => Promise<Out>): void {
  if (isMainThread || !parentPort) return;
  const port = parentPort;
  // A full collection before each run, so the garbage of earlier runs is not collected (a pause of this thread,
  // counted as latency) inside a measured one.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  port.on('message', (spec: Spec) => {
    collect();
    const cpu0 = processCpuMs('thread-self');
    void run(spec).then((o) => port.postMessage({ ...o, clientCpuMs: processCpuMs('thread-self') - cpu0 }));
  });
}
