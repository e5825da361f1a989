import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { processCpuMs } from './postgres.js';

/**
 * A simulator in a process of its own (`sandbox/simulators/<vendor>/main.ts --port 0`), as the vendor is not in
 * Plinth's process: its CPU is read apart (`cpuMs`). `ready` reads what the caller needs from what the simulator
 * prints when it listens (null: not yet).
 */
export async function simulatorProcess<T extends { url: string }>(
  vendor: string,
  ready: (out: string) => T | null,
): Promise<T & { cpuMs: () => number; close: () => Promise<void> }> {
  const main = join(import.meta.dirname, `../../sandbox/simulators/${vendor}/main.ts`);
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.on('exit', () => child.kill()); // a benchmark that fails leaves no simulator behind
  let out = '';
  for await (const chunk of child.stdout) {
    out += chunk;
    const found = ready(out);
    if (found) {
      child.stdout.resume();
      return {
        ...found,
        cpuMs: () => processCpuMs(child.pid!),
        close: async () => {
          child.kill('SIGTERM');
          await once(child, 'exit');
        },
      };
    }
  }
  throw new Error(`the ${vendor} simulator did not start: ${out}`);
}

/** The URL a simulator prints when it listens ("... simulator on http://..."). */
export const simulatorUrl = (out: string): string | undefined => /simulator on (http:\/\/\S+)/.exec(out)?.[1];
