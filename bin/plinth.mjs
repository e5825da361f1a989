#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through `prepare`). When a TypeScript source is newer than
// the last build (a developer edited one), it builds again first, incrementally, so `npm start` never runs stale
// code. Tests, benchmarks and `npm run dev` run the sources through tsx instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(built) ||
  Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'sandbox'))) > statSync(built).mtimeMs;
if (stale) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    console.error(
      'plinth: dist/ is missing or older than the sources, and TypeScript is not installed to build it',
    );
    process.exit(1);
  }
  console.error('plinth: compiling the sources (npm run build)…');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// The console (console/src, bundled into dist/console by console/build.mjs) is rebuilt the same way when stale.
const consoleBuilt = join(root, 'dist', 'console', 'index.html');
const consoleSources = join(root, 'console', 'src');
if (
  existsSync(consoleSources) &&
  (!existsSync(consoleBuilt) || newestConsole(consoleSources) > statSync(consoleBuilt).mtimeMs)
) {
  if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
    console.error('plinth: dist/console is missing or stale, and esbuild is not installed to build it');
    process.exit(1);
  }
  console.error('plinth: building the console (npm run build)…');
  const r = spawnSync(process.execPath, [join(root, 'console', 'build.mjs'), '--quiet'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function newestConsole(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestConsole(path) : statSync(path).mtimeMs);
  }
  return newest;
}

await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href);
