import { type ChildProcess, spawn } from 'node:child_process';
import { CLI } from './cli.js';

export interface ServeProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Waits until its output contains `text` `times` times, or `ms` pass; returns whether it did. */
  waitFor(text: string, ms: number, times?: number): Promise<boolean>;
  /** Resolves with its exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `plinth serve` as a real child process, with `env` over this process's environment. */
export function spawnServe(env: Record<string, string>): ServeProcess {
  const child = spawn(process.execPath, [...CLI, 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    async waitFor(text, ms, times = 1) {
      const seen = () => out.split(text).length - 1 >= times;
      for (let waited = 0; waited < ms && !seen(); waited += 100)
        await new Promise((r) => setTimeout(r, 100));
      return seen();
    },
    exited,
  };
}
