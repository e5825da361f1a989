#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through `prepare`), building it again first when a source
// is newer than the last build (bin/build.mjs), so `npm start` never runs stale code. `npm run dev` and the
// benchmarks run the sources through tsx instead.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale, root } from './build.mjs';

buildIfStale();
await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href);
