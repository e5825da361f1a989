/**
 * Provider resolution: a warm resolution through the cache versus an uncached one against embedded PGlite
 * (query the chain, decrypt the Fernet token, validate the config, build the instance).
 * Run: npx tsx bench/provider-resolution.ts   (or npm run bench -- provider-resolution)
 */
import { z } from 'zod';
import { createContext } from '../src/context.js';
import { loadConfig } from '../src/kernel/config.js';
import { generateFernetKey } from '../src/kernel/crypto/fernet.js';
import type { ProviderDefinition } from '../src/providers/types.js';
import { fmt, header, sampleMicros, summarize } from './lib/stats.js';

const benchPay: ProviderDefinition<{ api_key: string; region: string }, { region: string }> = {
  serviceType: 'payment_processor',
  key: 'benchpay',
  displayName: 'Bench processor',
  metadata: { documentation: 'bench', requiredSettings: ['api_key'], testedWith: 'built-in' },
  configSchema: z.strictObject({ api_key: z.string(), region: z.string() }),
  secretFields: ['api_key'],
  create: (c) => ({ region: c.region }),
};
const benchLoan: ProviderDefinition<{ currency: string }, object> = {
  serviceType: 'lending_program',
  key: 'bench_loan',
  displayName: 'Bench loan',
  metadata: { documentation: 'bench', requiredSettings: [], testedWith: 'built-in' },
  configSchema: z.strictObject({ currency: z.string() }),
  secretFields: [],
  create: () => ({}),
};

const config = loadConfig({
  DATABASE_URL: 'memory',
  PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
  LOG_LEVEL: 'warn',
});
const ctx = await createContext({ config, extraProviders: [benchPay, benchLoan] });
const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'Bench' }, 'bench');
const scope = { tenantId: tenant.id, actor: { type: 'system' as const, id: null } };
const program = await ctx.lending.programs.create(scope, {
  name: 'P',
  programType: 'bench_loan',
  terms: { currency: 'USD' },
});
if (!program.ok) throw new Error(program.error.message);
const base = {
  label: 'x',
  serviceType: 'payment_processor' as const,
  providerKey: 'benchpay',
  config: { api_key: 'sk_test_0123456789', region: 'us' },
};
await ctx.providerConfigs.create(scope, { ...base, isDefault: true });
const assigned = await ctx.providerConfigs.create(scope, { ...base, label: 'assigned' });
if (!assigned.ok) throw new Error('config');
await ctx.providerConfigs.assign(scope, program.value.id, 'payment_processor', assigned.value.id);

const resolve = () => ctx.resolver.resolve(tenant.id, 'payment_processor', program.value.id);
for (let i = 0; i < 20_000; i++) await resolve(); // warm up the JIT

header('provider resolution');
const uncached = summarize(
  await sampleMicros(2_000, async () => {
    ctx.resolver.invalidate(tenant.id);
    await resolve();
  }),
);
const warm = summarize(await sampleMicros(200_000, resolve));
console.log(
  `warm (cached)      p50 ${fmt(warm.p50)} µs   p99 ${fmt(warm.p99)} µs   n=${warm.n}   target p50 ≤ 20 µs`,
);
console.log(`uncached (PGlite)  p50 ${fmt(uncached.p50)} µs   p99 ${fmt(uncached.p99)} µs   n=${uncached.n}`);
console.log(`ratio uncached/warm at p50: ${fmt(uncached.p50 / warm.p50, 0)}x`);
await ctx.close();
