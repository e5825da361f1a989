// Builds the operator console into dist/console/ (run by `npm run build` and `npm install` through `prepare`, and
// by bin/plinth.mjs when a console source is newer than the build). One esbuild pass: Preact and the pages bundled
// and minified into one hashed script and one hashed stylesheet, and index.html pointing at them.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'console');

const result = await build({
  entryPoints: { app: join(here, 'src', 'main.tsx') },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  outdir: out,
  write: false,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let script = '';
let style = '';
for (const f of result.outputFiles) {
  const name = basename(f.path);
  writeFileSync(join(out, name), f.contents);
  if (name.endsWith('.js')) script = name;
  if (name.endsWith('.css')) style = name;
}
const html = readFileSync(join(here, 'index.html'), 'utf8')
  .replace('%SCRIPT%', `/console/assets/${script}`)
  .replace('%STYLE%', `/console/assets/${style}`);
writeFileSync(join(out, 'index.html'), html);
if (process.argv.includes('--quiet')) process.exit(0);
console.log(`console: dist/console/${script}, ${style}`);
