import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDirectory } from './dir-lock.js';
import { ConfigurationError } from './errors.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'plinth-lock-')), 'db');
const owner = (o: Record<string, unknown>) =>
  JSON.stringify({ host: hostname(), since: '2026-01-01T00:00:00Z', token: 'someone-else', ...o });

describe('lockDirectory', () => {
  it('is exclusive, names the directory when refused, and is free again once released', async () => {
    const d = dir();
    const lock = await lockDirectory(d, 'the embedded database');
    const refused = await lockDirectory(d, 'the embedded database').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigurationError);
    expect((refused as Error).message).toContain(
      `the embedded database ${d} is in use by process ${process.pid}`,
    );
    lock.release();
    expect(existsSync(`${d}.lock`)).toBe(false);
    (await lockDirectory(d, 'the embedded database')).release();
  });

  it('takes over a lock whose process is gone, or that an earlier process with this pid left', async () => {
    const d = dir();
    writeFileSync(`${d}.lock`, owner({ pid: 2 ** 22 + 7 }));
    (await lockDirectory(d, 'db')).release();
    writeFileSync(`${d}.lock`, owner({ pid: process.pid }));
    (await lockDirectory(d, 'db')).release();
  });

  it('takes over a live pid that now names another process', async () => {
    const d = dir();
    // pid 1 is running, but it did not start at tick 1.
    writeFileSync(`${d}.lock`, owner({ pid: 1, startTicks: '1' }));
    (await lockDirectory(d, 'db')).release();
  });

  it('respects another host’s lock while it is touched, and takes it after a minute without', async () => {
    const d = dir();
    writeFileSync(`${d}.lock`, owner({ pid: 1, host: 'elsewhere' }));
    await expect(lockDirectory(d, 'db')).rejects.toThrow(/in use by process 1 on elsewhere/);
    const old = new Date(Date.now() - 61_000);
    utimesSync(`${d}.lock`, old, old);
    (await lockDirectory(d, 'db')).release();
  });
});
