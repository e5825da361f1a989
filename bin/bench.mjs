#!/usr/bin/env node
// Runs the benchmarks one after another, each in its own process so they do not disturb each other.
// `npm run bench` runs them all; `npm run bench -- ofx lending/schedule` runs the ones whose path matches.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const entries = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'lib' ? [] : entries(join(dir, e.name));
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [];
  });
const filters = process.argv.slice(2);
const selected = entries(root)
  .map((f) => relative(root, f))
  .filter(
    (f) =>
      !f
        .split('/')
        .slice(0, -1)
        .some((d) => d === 'lib'),
  )
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
let failed = 0;
for (const file of selected) {
  console.log(`\n### bench/${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
