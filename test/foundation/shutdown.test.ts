import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/cli/shutdown.js';
import { spawnServe } from '../helpers/serve.js';

const BURST = join(import.meta.dirname, 'fixtures/log-burst.ts');

/** Resolves with how the child ended, or 'hung' after `ms`. */
const endOf = (child: ChildProcess, ms: number) =>
  Promise.race([
    new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    ),
    new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms)),
  ]);

/** Reads the child's stdout until `text` appears, then closes the pipe: the reader is gone. */
async function readUntilThenClose(child: ChildProcess, text: string, ms: number): Promise<string> {
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  for (let k = 0; k < ms / 100 && !out.includes(text); k++) await new Promise((r) => setTimeout(r, 100));
  child.stdout!.destroy();
  return out;
}

describe('the last log lines, when the log reader has gone', () => {
  it('do not keep the process from exiting (the exit flush gave EPIPE no end)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', BURST], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      expect(await readUntilThenClose(child, 'ready', 60_000)).toContain('ready');
      child.stdin!.write('go\n');
      expect(await endOf(child, 10_000)).toEqual({ code: 0, signal: null });
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('are all written at exit while the reader is there', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', BURST, '20000'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    const ended = endOf(child, 60_000);
    for (let k = 0; k < 600 && !out.includes('ready'); k++) await new Promise((r) => setTimeout(r, 100));
    child.stdin!.write('go\n');
    expect(await ended).toEqual({ code: 0, signal: null });
    const burst = out.split('\n').filter((l) => l.includes('shutting down'));
    expect(burst).toHaveLength(20000);
    // Every line, once (a write still in flight at exit may land after the ones flushed synchronously).
    expect(burst.map((l) => JSON.parse(l).i as number).sort((a, b) => a - b)).toEqual([
      ...Array(20000).keys(),
    ]);
  }, 90_000);
});

describe('plinth serve on SIGTERM', () => {
  it('exits, within its bound, when whatever read its stdout has gone', async () => {
    const serve = spawnServe({
      DATABASE_URL: 'memory',
      PORT: '0',
      PLINTH_DATA_DIR: mkdtempSync(join(tmpdir(), 'plinth-')),
      PROVIDER_ENCRYPTION_KEY: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
      LOG_LEVEL: 'info',
    });
    try {
      expect(await serve.waitFor('Server listening', 120_000), serve.output()).toBe(true);
      // The log reader goes away (a supervisor's pipe closed, `plinth serve | head -1` done): writes get EPIPE.
      serve.child.stdout!.destroy();
      serve.child.kill('SIGTERM');
      expect(await endOf(serve.child, SHUTDOWN_TIMEOUT_MS + 5_000)).toEqual({ code: 0, signal: null });
    } finally {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
  }, 180_000);
});
