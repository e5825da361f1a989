import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../kernel/logging.js';
import { shutdown } from './shutdown.js';

function captured() {
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(c, _e, done) {
        lines.push(String(c));
        done();
      },
    }),
  );
  return { lines, logger };
}

const exits: (number | undefined)[] = [];
vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
  exits.push(code);
  return undefined as never;
}) as typeof process.exit);
afterEach(() => {
  exits.length = 0;
});

describe('shutdown', () => {
  it('exits 0 once everything closed', async () => {
    const { lines, logger } = captured();
    await shutdown(logger, 'SIGTERM', async () => {});
    expect(exits).toEqual([0]);
    expect(lines.join('')).toContain('"signal":"SIGTERM","msg":"shutting down"');
  });

  it('exits 1 when closing fails, with the failure logged', async () => {
    const { lines, logger } = captured();
    await shutdown(logger, 'SIGTERM', async () => {
      throw new Error('pool end failed');
    });
    expect(exits).toEqual([1]);
    expect(lines.join('')).toContain('pool end failed');
  });

  it('gives up on a close that never finishes, within its time', async () => {
    const { lines, logger } = captured();
    const started = Date.now();
    await shutdown(logger, 'SIGTERM', () => new Promise(() => {}), 200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(exits).toEqual([1]);
    expect(lines.join('')).toContain('shutdown did not finish in time');
  });
});
