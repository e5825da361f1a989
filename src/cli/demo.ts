import { createContext } from '../context.js';
import { loadConfig } from '../kernel/config.js';
import { generateFernetKey } from '../kernel/crypto/fernet.js';

/**
 * The product tour: an in-memory Plinth with a demo tenant, exercised through the real HTTP API. It grows with
 * every capability.
 */
export async function runDemo(): Promise<number> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: 'memory',
    PROVIDER_ENCRYPTION_KEY: process.env.PROVIDER_ENCRYPTION_KEY ?? generateFernetKey(),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const ctx = await createContext({ config });
  try {
    const { tenant, apiKey } = await ctx.tenants.createTenant({ name: 'Demo Lender' }, 'demo');
    console.log(`Demo tenant ${tenant.name} (${tenant.id})\nAPI key: ${apiKey}`);
    return 0;
  } finally {
    await ctx.close();
  }
}
