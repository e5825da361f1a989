import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency rules of docs/ARCHITECTURE.md, checked on every import of every source file under src/.
const SRC = import.meta.dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  file: string;
  /** The imported file relative to src/ (`modules/lending/index.ts`), or the package name. */
  target: string;
  local: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s+'([^']+)'/g)].map(
    (m) => m[1]!,
  );
  return specifiers.map((s) =>
    s.startsWith('.')
      ? { file, local: true, target: relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts') }
      : { file, local: false, target: s },
  );
}

const isTest = (file: string) => /\.test\.ts$/.test(file);
const production = sourceFiles(SRC).filter((f) => !isTest(f));
const all = production.flatMap(importsOf);
const where = (i: Import) => `${relative(SRC, i.file)} → ${i.target}`;
const moduleOf = (path: string) => /^modules\/([^/]+)\//.exec(path)?.[1];

describe('dependency rules', () => {
  it('kernel imports nothing of ours', () => {
    const bad = all.filter(
      (i) => relative(SRC, i.file).startsWith('kernel/') && i.local && !i.target.startsWith('kernel/'),
    );
    expect(bad.map(where)).toEqual([]);
  });

  it('the provider framework is imported through providers/index.ts only', () => {
    const bad = all.filter(
      (i) =>
        i.local &&
        i.target.startsWith('providers/') &&
        i.target !== 'providers/index.ts' &&
        !relative(SRC, i.file).startsWith('providers/'),
    );
    expect(bad.map(where)).toEqual([]);
  });

  it('a module imports another module only through its index.ts', () => {
    const bad = all.filter((i) => {
      const from = moduleOf(relative(SRC, i.file));
      const to = moduleOf(i.target);
      return i.local && to !== undefined && from !== to && i.target !== `modules/${to}/index.ts`;
    });
    expect(bad.map(where)).toEqual([]);
  });

  it('modules and the framework never import upward (http, cli, the composition root)', () => {
    const bad = all.filter((i) => {
      const from = relative(SRC, i.file);
      return (
        i.local &&
        (from.startsWith('modules/') || from.startsWith('providers/')) &&
        (i.target.startsWith('http/') || i.target.startsWith('cli/') || i.target === 'context.ts')
      );
    });
    expect(bad.map(where)).toEqual([]);
  });

  it('production code imports no test support and no dev-only package', () => {
    const bad = all.filter(
      (i) =>
        (!i.local && ['vitest', 'fast-check'].includes(i.target)) ||
        (i.local && (i.target.startsWith('../test/') || i.target.startsWith('../bench/'))),
    );
    expect(bad.map(where)).toEqual([]);
  });
});
