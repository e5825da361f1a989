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
await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href);
