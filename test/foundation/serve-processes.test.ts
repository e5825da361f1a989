import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { CLI } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';
import { spawnServe } from '../helpers/serve.js';

const server = process.env.PLINTH_TEST_DATABASE_URL;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The pids of a process's children, from /proc. */
const childrenOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('PLINTH_HTTP_PROCESSES', () => {
  it('needs a PostgreSQL server: PGlite lives inside one process', () => {
    expect(() => loadConfig({ PLINTH_HTTP_PROCESSES: '2' })).toThrow(/PLINTH_HTTP_PROCESSES/);
    expect(() => loadConfig({ PLINTH_HTTP_PROCESSES: '2', DATABASE_URL: 'memory' })).toThrow(
      /PLINTH_HTTP_PROCESSES/,
    );
  });

  // Needs PostgreSQL: runs in CI's PostgreSQL pass (PLINTH_TEST_DATABASE_URL).
  it.skipIf(!server)(
    'serves one port from several processes that start together, and stops them all on SIGTERM',
    async () => {
      const db = await freshDatabase(server!, 'plinth_test');
      const port = await freePort();
      const child = spawn(process.execPath, [...CLI, 'serve'], {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
          PORT: String(port),
          PLINTH_HTTP_PROCESSES: '3',
          PLINTH_DATA_DIR: mkdtempSync(join(tmpdir(), 'plinth-')),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
      });
      child.stderr!.on('data', (d) => {
        out += d;
      });
      const stop = exited(child);
      const listening = () => out.split('\n').filter((l) => l.includes('Server listening')).length;
      try {
        // Up to 90 s, as the test below: three processes migrating and starting on a loaded CI machine.
        for (let k = 0; k < 900 && listening() < 3; k++) await new Promise((r) => setTimeout(r, 100));
        expect(listening(), out).toBe(3);
        expect(childrenOf(child.pid!)).toHaveLength(3);
        // Each new connection goes to the next process.
        for (let k = 0; k < 6; k++) {
          const agent = new Agent();
          const r = await request(`http://127.0.0.1:${port}/readyz`, { dispatcher: agent });
          expect(r.statusCode).toBe(200);
          expect(await r.body.json()).toEqual({ status: 'ready', database: 'ok' });
          await agent.close();
        }
        expect(out).not.toMatch(/deadlock|failed to start|exited/);
      } finally {
        const pids = childrenOf(child.pid!);
        child.kill('SIGTERM');
        expect(await stop).toBe(0);
        for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
        await db.drop();
      }
    },
    150_000,
  );

  // Needs PostgreSQL: runs in CI's PostgreSQL pass (PLINTH_TEST_DATABASE_URL).
  it.skipIf(!server)(
    'counts failed authentications across the processes: spreading guesses over them gains nothing',
    async () => {
      const db = await freshDatabase(server!, 'plinth_test');
      const port = await freePort();
      const serve = spawnServe({
        DATABASE_URL: db.url,
        PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
        PORT: String(port),
        PLINTH_HTTP_PROCESSES: '3',
        PLINTH_AUTH_FAILURE_LIMIT: '4',
        PLINTH_DATA_DIR: mkdtempSync(join(tmpdir(), 'plinth-')),
        LOG_LEVEL: 'info',
      });
      try {
        expect(await serve.waitFor('Server listening', 90_000, 3), serve.output()).toBe(true);
        const codes: number[] = [];
        // A new connection each time: node:cluster hands each to the next process.
        for (let k = 0; k < 12; k++) {
          const agent = new Agent();
          const r = await request(`http://127.0.0.1:${port}/v1/tenant`, {
            dispatcher: agent,
            headers: { authorization: `Bearer plk_wrong${k}` },
          });
          await r.body.dump();
          codes.push(r.statusCode);
          await agent.close();
        }
        // Counted per process, 3 × 4 = 12 guesses would all have been answered.
        expect(codes.filter((c) => c === 401).length, codes.join(',')).toBeLessThanOrEqual(5);
        expect(codes.slice(-5)).toEqual([429, 429, 429, 429, 429]);
      } finally {
        serve.child.kill('SIGTERM');
        await serve.exited;
        await db.drop();
      }
    },
    150_000,
  );
});
