import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { PROJECT_ROOT } from '../../src/kernel/paths.js';

const require = createRequire(import.meta.url);
export const ADMIN_TOKEN = 'browser-admin-token-0123456789';
/** Screenshots of the main pages, kept by CI as artifacts. */
export const ARTIFACTS = process.env.PLINTH_BROWSER_ARTIFACTS ?? join(PROJECT_ROOT, '.artifacts', 'console');

export interface Harness {
  base: string;
  browser: Browser;
  api<T = Record<string, unknown>>(method: string, path: string, key: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** A real Plinth (in-memory PGlite, job workers on) listening on a free port, and Debian's Chromium. */
export async function startHarness(): Promise<Harness> {
  // Local document storage (and report output) is written here, one directory per run.
  const dataDir = mkdtempSync(join(tmpdir(), 'plinth-browser-'));
  // A port known before the app starts: presigned URLs (document uploads and downloads) name Plinth's public URL.
  const port = await freePort();
  const config = loadConfig({
    DATABASE_URL: 'memory',
    PORT: String(port),
    PLINTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PLINTH_ADMIN_TOKEN: ADMIN_TOKEN,
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    LOG_LEVEL: 'warn',
    PLINTH_DATA_DIR: dataDir,
    // The vendors' simulators listen on loopback ports.
    PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*',
  });
  const ctx = await createContext({ config, jobs: true });
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port });
  await ctx.startWorkers();
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    base,
    browser,
    async api(method, path, key, body) {
      const res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as never;
    },
    async close() {
      await browser.close();
      await app.close();
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A fresh browser tab at a given width (sessionStorage is per tab, so each starts signed out). */
export async function openPage(
  h: Harness,
  width = 1280,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  // bypassCSP lets the test inject axe-core; the console itself runs under its CSP (no inline script).
  const context = await h.browser.newContext({
    viewport: { width, height: 900 },
    baseURL: h.base,
    bypassCSP: true,
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

export async function signInWithKey(page: Page, key: string) {
  await page.goto('/console/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/** axe-core on the page as it stands: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) })))',
  )) as { id: string; impact: string; nodes: string[] }[];
  expect({
    page: what,
    violations: result.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
  }).toEqual({
    page: what,
    violations: [],
  });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
