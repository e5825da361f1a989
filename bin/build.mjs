// Builds dist/ again where a source is newer than the last build: the TypeScript sources, incrementally
// (tsconfig.build.json), and the console bundle (console/build.mjs). `bin/plinth.mjs` calls it before every start,
// so `npm start` never runs stale code; the test suites that start the CLI as a process call it once before they
// run (test/helpers/build.ts), so their concurrent starts never build at the same time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds what is stale; exits the process with the build's status when a build cannot run or fails. */
export function buildIfStale() {
  const built = join(root, 'dist', '.tsbuildinfo');
  const stale =
    !existsSync(built) ||
    Math.max(newest(join(root, 'src'), '.ts'), newest(join(root, 'sandbox'), '.ts')) >
      statSync(built).mtimeMs;
  if (stale) {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(tsc))
      fail('dist/ is missing or older than the sources, and TypeScript is not installed to build it');
    console.error('plinth: compiling the sources (npm run build)…');
    run([tsc, '-p', join(root, 'tsconfig.build.json')]);
  }
  // The console (console/src, bundled into dist/console by console/build.mjs) is rebuilt the same way when stale.
  const consoleBuilt = join(root, 'dist', 'console', 'index.html');
  const consoleSources = join(root, 'console', 'src');
  if (
    existsSync(consoleSources) &&
    (!existsSync(consoleBuilt) || newest(consoleSources, '') > statSync(consoleBuilt).mtimeMs)
  ) {
    if (!existsSync(join(root, 'node_modules', 'esbuild')))
      fail('dist/console is missing or stale, and esbuild is not installed to build it');
    console.error('plinth: building the console (npm run build)…');
    run([join(root, 'console', 'build.mjs'), '--quiet']);
  }
}

/** The newest modification time of the files under `dir` whose names end with `ending`. */
function newest(dir, ending) {
  let time = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) time = Math.max(time, newest(path, ending));
    else if (e.name.endsWith(ending)) time = Math.max(time, statSync(path).mtimeMs);
  }
  return time;
}

function run(args) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function fail(message) {
  console.error(`plinth: ${message}`);
  process.exit(1);
}
