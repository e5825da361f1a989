import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { createLogger } from '../../src/kernel/logging.js';
import { spawnServe } from '../helpers/serve.js';

const KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const quiet = () => createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
const open = (dir: string) =>
  createContext({
    config: loadConfig({ PLINTH_DATA_DIR: dir, PROVIDER_ENCRYPTION_KEY: KEY }),
    logger: quiet(),
  });

/** The error a start that should be refused fails with (a start that succeeds fails the test). */
const refusal = (dir: string) =>
  open(dir).then(
    async (ctx) => {
      await ctx.close();
      throw new Error('a second Plinth opened the directory');
    },
    (e: unknown) => e as Error,
  );

/** Two servers on one embedded database would each run their own PostgreSQL on its files and split the data. */
describe('the embedded database directory', () => {
  it('is held by one Plinth at a time: a second start fails naming the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-'));
    const first = await open(dir);
    const err = await refusal(dir);
    expect(err.message).toContain(
      `embedded database ${resolve(dir, 'db')} is in use by process ${process.pid}`,
    );
    await first.close();
    const again = await open(dir);
    await again.close();
  });

  it('is not blocked by the lock of a server that was killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-'));
    const serve = spawnServe({
      PLINTH_DATA_DIR: dir,
      PROVIDER_ENCRYPTION_KEY: KEY,
      PORT: '0',
      DATABASE_URL: '',
    });
    try {
      expect(await serve.waitFor('Server listening', 120_000), serve.output()).toBe(true);
      // The CLI refuses too, with the directory in its message.
      const second = await refusal(dir);
      expect(second.message).toContain(`${resolve(dir, 'db')} is in use by process ${serve.child.pid}`);
    } finally {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    const after = await open(dir);
    await after.close();
  }, 180_000);
});
