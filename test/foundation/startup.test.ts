import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { ConfigurationError } from '../../src/kernel/errors.js';
import { createLogger } from '../../src/kernel/logging.js';
import { CLI } from '../helpers/cli.js';

const run = promisify(execFile);

function captured() {
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(c, _e, done) {
        lines.push(c.toString());
        done();
      },
    }),
  );
  return { lines, logger };
}

describe('start-up configuration', () => {
  it('refuses an invalid PROVIDER_ENCRYPTION_KEY, naming the variable', async () => {
    const config = loadConfig({ DATABASE_URL: 'memory', PROVIDER_ENCRYPTION_KEY: 'definitely-not-fernet' });
    const err = await createContext({ config, logger: captured().logger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(/^PROVIDER_ENCRYPTION_KEY/);
    expect((err as Error).message).not.toContain('definitely-not-fernet');
  });

  it('the CLI exits non-zero with that message', async () => {
    const r = await run(process.execPath, [...CLI, 'serve'], {
      env: { ...process.env, DATABASE_URL: 'memory', PROVIDER_ENCRYPTION_KEY: 'nope', PORT: '0' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(78);
    expect((r as { stderr: string }).stderr).toContain('PROVIDER_ENCRYPTION_KEY');
  }, 30_000);

  it('refuses to start in production without a key', async () => {
    const config = loadConfig({ DATABASE_URL: 'memory', NODE_ENV: 'production' });
    await expect(createContext({ config, logger: captured().logger })).rejects.toThrow(
      /PROVIDER_ENCRYPTION_KEY is required/,
    );
  });

  it('refuses a PostgreSQL DATABASE_URL without a key: a generated key is for the embedded database only', async () => {
    // Two nodes on one PostgreSQL would each generate their own key and not read each other's configs.
    const url = 'postgres://plinth@db.internal:5432/plinth';
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(
      /PROVIDER_ENCRYPTION_KEY: required with a PostgreSQL DATABASE_URL/,
    );
    expect(() => loadConfig({ DATABASE_URL: url, NODE_ENV: 'development' })).toThrow(
      /PROVIDER_ENCRYPTION_KEY/,
    );
    expect(loadConfig({ DATABASE_URL: url, PROVIDER_ENCRYPTION_KEY: 'k' }).DATABASE_URL).toBe(url);
    expect(() => loadConfig({ DATABASE_URL: 'memory' })).not.toThrow();
    expect(() => loadConfig({})).not.toThrow();
    const r = await run(process.execPath, [...CLI, 'serve'], {
      env: { ...process.env, DATABASE_URL: url, PROVIDER_ENCRYPTION_KEY: '', PORT: '0' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(78);
    expect((r as { stderr: string }).stderr).toContain('PROVIDER_ENCRYPTION_KEY');
  }, 30_000);

  it('in development, generates a key into the data directory (0600) and warns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-'));
    const { lines, logger } = captured();
    const ctx = await createContext({
      config: loadConfig({ DATABASE_URL: 'memory', PLINTH_DATA_DIR: dir }),
      logger,
    });
    await ctx.close();
    const file = join(dir, 'provider-encryption.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(lines.join('')).toContain('generated a development key');
    // and reuses it next time
    const again = await createContext({
      config: loadConfig({ DATABASE_URL: 'memory', PLINTH_DATA_DIR: dir }),
      logger,
    });
    await again.close();
    expect(lines.filter((l) => l.includes('generated a development key'))).toHaveLength(1);
  }, 180_000);

  it('rejects malformed settings by name', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PLINTH_ADMIN_TOKEN: 'short' })).toThrow(/PLINTH_ADMIN_TOKEN/);
  });

  it('persists the embedded database under PLINTH_DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-'));
    const config = loadConfig({
      PLINTH_DATA_DIR: dir,
      PROVIDER_ENCRYPTION_KEY: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
    });
    const first = await createContext({ config, logger: captured().logger });
    const { tenant } = await first.tenancy.tenants.createTenant({ name: 'Persisted' }, 'test');
    await first.close();
    const second = await createContext({ config, logger: captured().logger });
    expect((await second.tenancy.tenants.getTenant(tenant.id))?.name).toBe('Persisted');
    await second.close();
    expect(statSync(join(dir, 'db')).isDirectory()).toBe(true);
  });
});
