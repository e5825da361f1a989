// The cost of running the compiled JavaScript (dist/, what `npm start`, the CLI and the demo run) against the
// same code loaded from the TypeScript sources through tsx (the baseline, as every process ran before):
//   - `plinth --help`: wall time and peak RSS, paired runs (compiled, then tsx, alternating);
//   - `plinth serve` on PGlite: RSS once it answers /readyz and has settled for a few seconds.
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`). Run: npm run bench -- cli/startup
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, header } from '../lib/stats.js';

const ROOT = join(import.meta.dirname, '../..');
const COMPILED = [join(ROOT, 'bin/plinth.mjs')];
const TSX = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
const RUNS = Number(process.env.RUNS ?? 7);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Wall seconds and peak RSS (MB) of one `node <args> --help`. */
function help(args: string[]): { wall: number; peakMb: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args, '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`--help failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  return { wall, peakMb: kb / 1024 };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** RSS (MB) of `plinth serve` on a fresh PGlite directory, 5 s after it first answers /readyz. */
async function serveRss(args: string[]): Promise<number> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...args, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      PLINTH_DATA_DIR: mkdtempSync(join(tmpdir(), 'plinth-bench-')),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: 'ignore',
  });
  try {
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 5000));
    return rssOf(child.pid!);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

header('CLI start-up: compiled JavaScript against tsx');
help(COMPILED); // builds dist/ first if a source changed, outside the measurement
const compiled: { wall: number; peakMb: number }[] = [];
const baseline: { wall: number; peakMb: number }[] = [];
for (let k = 0; k < RUNS; k++) {
  compiled.push(help(COMPILED));
  baseline.push(help(TSX));
}
const row = (name: string, xs: { wall: number; peakMb: number }[]) =>
  console.log(
    `${name.padEnd(28)} wall ${fmt(median(xs.map((x) => x.wall)))} s   peak RSS ${fmt(median(xs.map((x) => x.peakMb)), 0)} MB`,
  );
row('plinth --help (compiled)', compiled);
row('plinth --help (tsx)', baseline);
console.log(
  `ratio (tsx / compiled): wall ${fmt(median(baseline.map((x) => x.wall)) / median(compiled.map((x) => x.wall)))}×, ` +
    `peak RSS ${fmt(median(baseline.map((x) => x.peakMb)) / median(compiled.map((x) => x.peakMb)))}×  (medians of ${RUNS} paired runs)`,
);
const serveCompiled = await serveRss(COMPILED);
const serveTsx = await serveRss(TSX);
console.log(
  `plinth serve on PGlite, settled RSS: compiled ${fmt(serveCompiled, 0)} MB, tsx ${fmt(serveTsx, 0)} MB ` +
    `(ratio ${fmt(serveTsx / serveCompiled)}×)`,
);
