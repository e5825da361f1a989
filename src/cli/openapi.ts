import { createContext } from '../context.js';
import { buildApp } from '../http/app.js';
import { loadConfig } from '../kernel/config.js';
import { generateFernetKey } from '../kernel/crypto/fernet.js';

/**
 * The OpenAPI document the app serves at /openapi.json, built from an in-memory Plinth without listening: the
 * console's client types are generated from it (`npm run console:types`).
 */
export async function openApiDocument(): Promise<unknown> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: 'memory',
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    PLINTH_PUBLIC_URL: 'http://127.0.0.1:3000',
    LOG_LEVEL: 'warn',
  });
  const ctx = await createContext({ config });
  try {
    const app = await buildApp(ctx);
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return doc;
  } finally {
    await ctx.close();
  }
}

export async function printOpenApi(): Promise<number> {
  console.log(JSON.stringify(await openApiDocument(), null, 2));
  return 0;
}
