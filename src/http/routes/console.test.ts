import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../kernel/config.js';
import { ConfigurationError } from '../../kernel/errors.js';
import { consoleRoutes } from './console.js';

describe("the console's content security policy", () => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-console-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  const policy = async (connectSrc?: string[]) => {
    const app = Fastify();
    await app.register(consoleRoutes, { dir, connectSrc });
    const r = await app.inject({ method: 'GET', url: '/console/loans' });
    await app.close();
    return String(r.headers['content-security-policy']);
  };

  it("lets the pages reach Plinth's origin only, and the document store the operator names", async () => {
    expect(await policy()).toContain("connect-src 'self';");
    const config = loadConfig({
      PLINTH_CONSOLE_CONNECT_SRC: 'https://docs.s3.us-east-1.amazonaws.com, http://127.0.0.1:9000/',
    });
    expect(config.consoleConnectSrc).toEqual([
      'https://docs.s3.us-east-1.amazonaws.com',
      'http://127.0.0.1:9000',
    ]);
    expect(await policy(config.consoleConnectSrc)).toContain(
      "connect-src 'self' https://docs.s3.us-east-1.amazonaws.com http://127.0.0.1:9000;",
    );
  });

  it('refuses anything but an origin', () => {
    for (const bad of [
      '*',
      'https://*.amazonaws.com',
      'https://bucket.example/path',
      "'unsafe-inline'",
      'ftp://x.example',
    ])
      expect(() => loadConfig({ PLINTH_CONSOLE_CONNECT_SRC: bad }), bad).toThrow(ConfigurationError);
  });
});
