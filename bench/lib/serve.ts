import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * `plinth serve` as production runs it (bin/plinth.mjs: the compiled CLI), API only, on a free port, with
 * `PLINTH_HTTP_PROCESSES` copies sharing it (node:cluster), answering /readyz. `env` is the deployment's settings
 * (DATABASE_URL, PROVIDER_ENCRYPTION_KEY, ...). `BENCH_CPU_PROF=DIR` profiles every process into DIR.
 */
export async function servePlinth(
  env: Record<string, string>,
  processes: number,
): Promise<{ base: string; child: ChildProcess; close: () => Promise<void> }> {
  const port = await freePort();
  const flags = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...flags, join(import.meta.dirname, '../../bin/plinth.mjs'), 'serve'],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PLINTH_WORKERS: 'false',
        PLINTH_HTTP_PROCESSES: String(processes),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  process.on('exit', () => child.kill()); // a benchmark that fails leaves no server behind
  const close = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const base = `http://127.0.0.1:${port}`;
  for (let k = 0; k < 1800; k++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { base, child, close };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  await close();
  throw new Error('plinth serve did not become ready');
}
