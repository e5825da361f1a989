import { type Config, loadConfig } from './kernel/config.js';
import { type Database, openDatabase } from './kernel/db.js';
import { purgeOlderThan as purgeIdempotencyKeys } from './kernel/idempotency.js';
import { type JobQueue, startJobQueue } from './kernel/jobs.js';
import { createLogger, type Logger } from './kernel/logging.js';
import { migrate } from './kernel/migrate.js';
import {
  type Aggregation,
  createAggregation,
  financialDataRegistry,
  registerSyncWorkers,
} from './modules/aggregation/index.js';
import {
  type CardAuthorizations,
  cardAuthorizationRegistries,
  createCardAuthorizations,
  type LoanFunding,
} from './modules/card-authorizations/index.js';
import {
  BusinessDateService,
  CardFundingService,
  CloseOfBusinessService,
  closeOfBusinessSteps,
  LoanService,
  lendingProgramRegistry,
  ProgramService,
  servicingOf,
} from './modules/lending/index.js';
import { CustomerService, TenantService, writeAudit } from './modules/tenancy/index.js';
import type { KeyRing } from './providers/credentials.js';
import { endpointPolicy } from './providers/endpoints.js';
import { loadKeyRing } from './providers/master-key.js';
import { Catalog, Registry } from './providers/registry.js';
import { ProviderResolver } from './providers/resolution.js';
import { ProviderConfigService } from './providers/service.js';
import type { AnyProviderDefinition, ServiceType } from './providers/types.js';

const PROVIDER_CHANGES = 'plinth_provider_changes';
const KEY_REVOKED = 'plinth_api_key_revoked';

/** Everything a running Plinth holds: the composition root shared by the HTTP server, the CLI and the tests. */
export interface Context {
  config: Config;
  logger: Logger;
  database: Database;
  keyRing: KeyRing;
  catalog: Catalog;
  resolver: ProviderResolver;
  providerConfigs: ProviderConfigService;
  tenants: TenantService;
  customers: CustomerService;
  programs: ProgramService;
  aggregation: Aggregation;
  businessDates: BusinessDateService;
  loans: LoanService;
  /** Funds card clearings from lending lines of credit (the card-authorization module's port into lending). */
  cardFunding: CardFundingService;
  closeOfBusiness: CloseOfBusinessService;
  cardAuthorizations: CardAuthorizations;
  /** Present when the context was created with `jobs: true`. */
  jobs?: JobQueue;
  close(): Promise<void>;
}

export interface ContextOptions {
  config?: Config;
  logger?: Logger;
  /** Definitions added to the built-in registries (tests register their own program types, say). */
  extraProviders?: readonly AnyProviderDefinition[];
  /** Start the job queue (and, with PLINTH_WORKERS, its workers). */
  jobs?: boolean;
  now?: () => Date;
  /** The lending side of card funding (loan-owned lines of credit draw on their loan when a clearing posts). */
  loanFunding?: LoanFunding;
}

/** The built-in registries of every module, plus any extra definitions. */
function buildCatalog(extra: readonly AnyProviderDefinition[]): Catalog {
  const registries = new Map<ServiceType, Registry>(
    [lendingProgramRegistry(), financialDataRegistry(), ...cardAuthorizationRegistries()].map((r) => [
      r.serviceType,
      r,
    ]),
  );
  for (const def of extra) {
    let registry = registries.get(def.serviceType);
    if (!registry) {
      registry = new Registry(def.serviceType);
      registries.set(def.serviceType, registry);
    }
    registry.register(def);
  }
  return new Catalog([...registries.values()]);
}

export async function createContext(opts: ContextOptions = {}): Promise<Context> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const keyRing = loadKeyRing({
    value: config.PROVIDER_ENCRYPTION_KEY,
    production: config.NODE_ENV === 'production',
    dataDir: config.PLINTH_DATA_DIR,
    logger,
  });
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.PLINTH_DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
  });
  try {
    const { applied } = await migrate(database);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const db = database.db;
    const now = opts.now ?? (() => new Date());
    const catalog = buildCatalog(opts.extraProviders ?? []);
    const endpoints = endpointPolicy(config);
    const resolver = new ProviderResolver({ db, catalog, keyRing, providerDeps: { logger, now }, endpoints });
    const providerConfigs = new ProviderConfigService({
      db,
      catalog,
      keyRing,
      endpoints,
      audit: writeAudit,
      changed: async (tenantId) => {
        resolver.invalidate(tenantId);
        await database.notify(PROVIDER_CHANGES, tenantId);
      },
    });
    const tenants = new TenantService({
      db,
      audit: writeAudit,
      keyRevoked: (hashHex) => database.notify(KEY_REVOKED, hashHex),
    });
    const unlisten = [
      await database.listen(PROVIDER_CHANGES, (tenantId) => resolver.invalidate(tenantId)),
      await database.listen(KEY_REVOKED, (hashHex) => tenants.forget(hashHex)),
    ];
    const customers = new CustomerService({ db, audit: writeAudit });
    const aggregation = createAggregation({
      db,
      catalog,
      resolver,
      keyRing,
      customers,
      audit: writeAudit,
      logger,
      now,
      publicUrl: config.publicUrl,
    });
    const jobs = opts.jobs ? await startJobQueue(database, logger) : undefined;
    const programs = new ProgramService({ db, catalog, audit: writeAudit, providerDeps: { logger, now } });
    const businessDates = new BusinessDateService({
      db,
      audit: writeAudit,
      now,
      timeZoneOf: async (tenantId) => (await tenants.getTenant(tenantId))?.timeZone ?? 'UTC',
    });
    const loans = new LoanService({
      db,
      raw: database.raw,
      programs,
      businessDates,
      servicing: servicingOf,
      customerExists: async (scope, id) => (await customers.get(scope, id)).ok,
    });
    const cardFunding = new CardFundingService({ db, loans });
    const cardAuthorizations = await createCardAuthorizations({
      database,
      resolver,
      audit: writeAudit,
      logger,
      now,
      tenantZone: async (tenantId) => (await tenants.getTenant(tenantId))?.timeZone ?? 'UTC',
      // Card spend on a loan-owned expense line is funded by that revolving loan (lending's lines of credit).
      loanFunding: opts.loanFunding ?? cardFunding,
      batch: { maxBatch: config.PLINTH_CARD_BATCH_MAX, shards: config.PLINTH_CARD_BATCH_SHARDS },
    });
    const closeOfBusiness = new CloseOfBusinessService({
      db,
      logger,
      audit: writeAudit,
      businessDates,
      steps: closeOfBusinessSteps,
      batchSize: config.PLINTH_COB_BATCH_SIZE,
      queue: jobs,
    });
    if (jobs && config.PLINTH_WORKERS) {
      // Idempotency keys answer retries for a day, like the payment processors' own windows.
      await jobs.work('housekeeping.idempotency-keys', async () => {
        const purged = await purgeIdempotencyKeys(db, 24);
        if (purged > 0) logger.info({ purged }, 'purged idempotency keys older than 24 hours');
      });
      await jobs.schedule('housekeeping.idempotency-keys', '17 * * * *');
      await registerSyncWorkers(jobs, aggregation.sync, logger);
      await closeOfBusiness.startWorkers(database.kind === 'pglite' ? 1 : config.PLINTH_COB_WORKERS);
      await cardAuthorizations.startWorkers(jobs);
    }
    return {
      config,
      logger,
      database,
      keyRing,
      catalog,
      resolver,
      providerConfigs,
      tenants,
      customers,
      programs,
      aggregation,
      businessDates,
      loans,
      cardFunding,
      closeOfBusiness,
      cardAuthorizations,
      jobs,
      async close() {
        await jobs?.stop();
        await cardAuthorizations.close();
        for (const u of unlisten) await u();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
