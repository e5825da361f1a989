import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogDestination } from './log-destination.js';

describe('LogDestination', () => {
  it('writes every line in order, and drains', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plinth-log-')), 'out.log');
    const fd = openSync(file, 'w');
    const d = new LogDestination(fd);
    for (let i = 0; i < 5000; i++) d.write(`{"i":${i}}\n`);
    await d.drain(5_000);
    closeSync(fd);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).i)).toEqual([...Array(5000).keys()]);
  });

  it('stops for good when the descriptor fails, and neither drain nor the exit flush waits for it', async () => {
    const fd = openSync(join(mkdtempSync(join(tmpdir(), 'plinth-log-')), 'x'), 'w');
    closeSync(fd);
    const d = new LogDestination(fd);
    d.write('one\n');
    d.write('two\n');
    const started = Date.now();
    await d.drain(5_000);
    expect(d.broken).toBe(true);
    d.write('three\n');
    d.flushSync();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
