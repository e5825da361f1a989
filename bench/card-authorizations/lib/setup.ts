import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Context, createContext } from '../../../src/context.js';
import { buildApp } from '../../../src/http/app.js';
import { SYSTEM_ACTOR } from '../../../src/kernel/audit.js';
import { loadConfig } from '../../../src/kernel/config.js';
import { generateFernetKey } from '../../../src/kernel/crypto/fernet.js';
import { uuidv7 } from '../../../src/kernel/ids.js';
import {
  type CardAuthorizations,
  cardAuthorizationsModule,
  type Decider,
} from '../../../src/modules/card-authorizations/index.js';
import * as T from '../../../src/modules/card-authorizations/tables.js';
import type { PlinthModule } from '../../../src/modules/platform.js';
import type { AnyProviderDefinition } from '../../../src/providers/index.js';
import { NaiveDecider } from './naive.js';

export const SECRET = 'bench-relay-secret-0123456789abcdef0123';

export interface Variant {
  name: string;
  app: FastifyInstance;
  origin: string;
  module: CardAuthorizations;
  plinthModule: PlinthModule;
}

export interface Bench {
  ctx: Context;
  tenantId: string;
  relayPath: string;
  variants: Variant[];
  close(): Promise<void>;
}

export interface BenchOptions {
  /** Only these engines (by name); all three by default. */
  engines?: readonly string[];
  /** Start the job queue and every module's workers, as a serving node does. */
  jobs?: boolean;
  extraProviders?: AnyProviderDefinition[];
  /** More settings over the bench's own. */
  env?: Record<string, string>;
}

/**
 * Plinth in process on `databaseUrl`, serving the same relay through three engines on three ports:
 * group commit (the real configuration), group commit off (one item per transaction, same SQL), and the naive
 * SELECT … FOR UPDATE baseline.
 */
export async function startBench(databaseUrl: string, opts: BenchOptions = {}): Promise<Bench> {
  const config = loadConfig({
    ...opts.env,
    DATABASE_URL: databaseUrl,
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MAX: '40',
    // The engine's settings as configured where the bench runs (defaults otherwise).
    PLINTH_CARD_BATCH_MAX: process.env.PLINTH_CARD_BATCH_MAX,
    PLINTH_CARD_BATCH_SHARDS: process.env.PLINTH_CARD_BATCH_SHARDS,
    PLINTH_DATA_DIR: '/tmp/plinth-bench-unused',
  });
  const ctx = await createContext({ config, jobs: opts.jobs, extraProviders: opts.extraProviders });
  const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'Bench' }, 'bench');
  const scope = { tenantId: tenant.id, actor: SYSTEM_ACTOR };
  const relay = await ctx.providerConfigs.create(scope, {
    label: 'relay',
    serviceType: 'card_issuing',
    providerKey: 'generic',
    config: { webhook_secret: SECRET, deadline_ms: 1900 },
  });
  if (!relay.ok) throw new Error(relay.error.message);
  for (const [serviceType, providerKey, cfg] of [
    ['expense_category_resolver', 'mcc_rules', { rules: [{ category_code: 'all', mcc: ['0000-9999'] }] }],
    ['line_of_credit_resolver', 'card_owner', {}],
  ] as const) {
    const r = await ctx.providerConfigs.create(scope, {
      label: providerKey,
      serviceType,
      providerKey,
      config: cfg,
      isDefault: true,
    });
    if (!r.ok) throw new Error(r.error.message);
  }
  const category = await ctx.cardAuthorizations.categories.createExpenseCategory(scope, {
    code: 'all',
    name: 'All',
  });
  if (!category.ok) throw new Error(category.error.message);

  const engines: [string, Partial<{ decider: Decider; maxBatch: number; shards: number }>][] = [
    ['group commit', {}],
    ['no group commit', { maxBatch: 1, shards: 32 }],
    ['naive FOR UPDATE', { decider: new NaiveDecider(ctx.database.db), maxBatch: 1, shards: 32 }],
  ];
  const variants: Variant[] = [];
  for (const [name, o] of engines) {
    if (opts.engines && !opts.engines.includes(name)) continue;
    const module =
      o.maxBatch === undefined
        ? ctx.modules.find((m) => m.name === 'card-authorizations')!
        : await cardAuthorizationsModule.create(
            {
              ...ctx.platform,
              config: {
                ...ctx.config,
                PLINTH_CARD_BATCH_MAX: o.maxBatch,
                PLINTH_CARD_BATCH_SHARDS: ctx.database.kind === 'pglite' ? 1 : (o.shards ?? 4),
              },
              audit: async () => {},
            },
            {
              tenantZone: async () => 'UTC',
              loanExists: async (scope, loanId) => (await ctx.lending.loans.get(scope, loanId)).ok,
              decider: o.decider,
            },
          );
    const app = await buildApp({
      ...ctx,
      modules: ctx.modules.map((m) => (m.name === module.name ? module : m)),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    variants.push({
      name,
      app,
      origin: `http://127.0.0.1:${port}`,
      module: module.services as CardAuthorizations,
      plinthModule: module,
    });
  }
  // Workers start once the node listens, as `plinth serve` starts them.
  if (opts.jobs) await ctx.startWorkers();
  return {
    ctx,
    tenantId: tenant.id,
    relayPath: `/v1/card-authorizations/relay/${relay.value.id}`,
    variants,
    async close() {
      for (const v of variants) {
        await v.app.close();
        if (v.module !== ctx.cardAuthorizations) await v.plinthModule.close?.();
      }
      await ctx.close();
    },
  };
}

export interface Holder {
  cardId: string;
  lineId: string;
}

/** Cards with one line each, inserted in bulk (seeding is not what is measured). */
export async function seedHolders(b: Bench, n: number, limit: number): Promise<Holder[]> {
  const db = b.ctx.database.db;
  const [category] = await db
    .select({ id: T.expenseCategories.id })
    .from(T.expenseCategories)
    .where(eq(T.expenseCategories.tenantId, b.tenantId));
  const holders: Holder[] = [];
  for (let start = 0; start < n; start += 1000) {
    const chunk = Array.from({ length: Math.min(1000, n - start) }, () => ({
      ownerRef: randomUUID(),
      cardId: `card_${randomUUID().replaceAll('-', '')}`,
      lineId: uuidv7(),
    }));
    await db.insert(T.cards).values(
      chunk.map((c) => ({
        tenantId: b.tenantId,
        id: uuidv7(),
        cardId: c.cardId,
        ownerType: 'customer',
        ownerRef: c.ownerRef,
      })),
    );
    await db.insert(T.linesOfCredit).values(
      chunk.map((c) => ({
        tenantId: b.tenantId,
        id: c.lineId,
        expenseCategoryId: category!.id,
        ownerType: 'customer',
        ownerRef: c.ownerRef,
        currency: 'EUR',
      })),
    );
    await db
      .insert(T.expenseTrackers)
      .values(chunk.map((c) => ({ tenantId: b.tenantId, lineOfCreditId: c.lineId, creditsLimit: limit })));
    holders.push(...chunk.map((c) => ({ cardId: c.cardId, lineId: c.lineId })));
  }
  // Autovacuum would have visited tables this size long before production traffic; left to itself, it runs
  // inside the first measured run instead.
  await b.ctx.database.raw.query(
    'VACUUM ANALYZE card_cards, card_lines_of_credit, card_expense_trackers, card_authorization_requests, card_authorization_messages, card_authorization_holds',
  );
  return holders;
}
