import { type Config, loadConfig } from './kernel/config.js';
import { type Database, openDatabase } from './kernel/db.js';
import { DomainEvents } from './kernel/events.js';
import { purgeOlderThan as purgeIdempotencyKeys } from './kernel/idempotency.js';
import { type JobQueue, startJobQueue } from './kernel/jobs.js';
import { createLogger, type Logger } from './kernel/logging.js';
import { migrate } from './kernel/migrate.js';
import { tenantChanges } from './kernel/tenant-changes.js';
import { type Aggregation, aggregationModule } from './modules/aggregation/index.js';
import {
  type CardAuthorizations,
  cardAuthorizationsModule,
  type LoanFunding,
} from './modules/card-authorizations/index.js';
import { type Communications, communicationsModule } from './modules/communications/index.js';
import { type Compliance, complianceModule } from './modules/compliance/index.js';
import { type Documents, documentsModule } from './modules/documents/index.js';
import { checkDisclosedApr, computeApr, type Lending, lendingModule } from './modules/lending/index.js';
import { type Payments, paymentsModule } from './modules/payments/index.js';
import type { ModuleDefinition, Platform, PlinthModule, Worker } from './modules/platform.js';
import { type Reporting, reportingModule } from './modules/reporting/index.js';
import { type Tenancy, tenancyModule, writeAudit } from './modules/tenancy/index.js';
import {
  type AnyProviderDefinition,
  Catalog,
  endpointPolicy,
  type KeyRing,
  loadKeyRing,
  ProviderConfigService,
  ProviderResolver,
  ProviderSetAssignments,
  providerConfigColumn,
  Registry,
  type SealedColumn,
  type ServiceType,
} from './providers/index.js';

/** Every module, in the order they are created: a module may use the services of those before it. */
// biome-ignore lint/suspicious/noExplicitAny: definitions of every module's services and needs.
export const MODULES: readonly ModuleDefinition<any, any>[] = [
  tenancyModule,
  complianceModule,
  lendingModule,
  paymentsModule,
  aggregationModule,
  cardAuthorizationsModule,
  documentsModule,
  communicationsModule,
  reportingModule,
];

/** Every sealed column (the framework's and the modules'), for `plinth keys rotate`. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  providerConfigColumn as SealedColumn,
  ...MODULES.flatMap((m) => m.sealed ?? []),
];

const PROVIDER_CHANGES = 'plinth_provider_changes';

/** Everything a running Plinth holds: the composition root shared by the HTTP server, the CLI and the tests. */
export interface Context {
  config: Config;
  logger: Logger;
  database: Database;
  /** What every module was created with (benchmarks create variants of a module from it). */
  platform: Platform;
  keyRing: KeyRing;
  catalog: Catalog;
  resolver: ProviderResolver;
  providerConfigs: ProviderConfigService;
  /** Program overrides of the sets of configs that apply at once (compliance rules). */
  providerSets: ProviderSetAssignments;
  tenancy: Tenancy;
  compliance: Compliance;
  lending: Lending;
  payments: Payments;
  aggregation: Aggregation;
  cardAuthorizations: CardAuthorizations;
  documents: Documents;
  communications: Communications;
  reporting: Reporting;
  /** Every created module, in creation order: the HTTP app registers their routes, `startWorkers` their workers. */
  modules: readonly PlinthModule[];
  /** Present when the context was created with `jobs: true`. */
  jobs?: JobQueue;
  /**
   * Registers every module's background workers (with PLINTH_WORKERS) and resumes what a crash interrupted. The
   * server calls it after it listens, so a long resume never keeps the API from answering.
   */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface ContextOptions {
  config?: Config;
  logger?: Logger;
  /** Definitions added to the built-in registries (tests register their own program types, say). */
  extraProviders?: readonly AnyProviderDefinition[];
  /** Start the job queue (workers start with `startWorkers`). */
  jobs?: boolean;
  now?: () => Date;
  /** The lending side of card funding (loan-owned lines of credit draw on their loan when a clearing posts). */
  loanFunding?: LoanFunding;
}

/** Every module's registries, plus any extra definitions. */
function buildCatalog(extra: readonly AnyProviderDefinition[]): Catalog {
  const registries = new Map<ServiceType, Registry>(
    MODULES.flatMap((m) => m.registries?.() ?? []).map((r) => [r.serviceType, r]),
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

/** The kernel's own job: idempotency keys answer retries for a day, like the payment processors' own windows. */
const housekeeping = (platform: Platform): Worker => ({
  queue: 'housekeeping.idempotency-keys',
  schedule: '17 * * * *',
  handle: async () => {
    const purged = await purgeIdempotencyKeys(platform.db, 24);
    if (purged > 0) platform.logger.info({ purged }, 'purged idempotency keys older than 24 hours');
  },
});

async function startModuleWorkers(jobs: JobQueue, workers: readonly Worker[]): Promise<void> {
  for (const w of workers) {
    const { copies = 1, ...options } = w.options ?? {};
    for (let k = 0; k < copies; k++) await jobs.work(w.queue, w.handle, options);
    if (w.schedule) await jobs.schedule(w.queue, w.schedule);
  }
  for (const w of workers) await w.resume?.();
}

export async function createContext(opts: ContextOptions = {}): Promise<Context> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const keyRing = loadKeyRing(config, logger);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.PLINTH_DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
  });
  const created: PlinthModule[] = [];
  let jobs: JobQueue | undefined;
  try {
    const { applied } = await migrate(database);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const db = database.db;
    const now = opts.now ?? (() => new Date());
    const catalog = buildCatalog(opts.extraProviders ?? []);
    const endpoints = endpointPolicy(config);
    const resolver = new ProviderResolver({
      db,
      catalog,
      keyRing,
      providerDeps: { logger, now, dataDir: config.PLINTH_DATA_DIR },
      endpoints,
    });
    const providerChanges = await tenantChanges(database, PROVIDER_CHANGES, (t) => resolver.invalidate(t));
    const changed = (tenantId: string) => providerChanges.changed(tenantId);
    const providerConfigs = new ProviderConfigService({
      db,
      catalog,
      keyRing,
      endpoints,
      audit: writeAudit,
      changed,
    });
    const providerSets = new ProviderSetAssignments({ db, audit: writeAudit, changed });
    jobs = opts.jobs ? await startJobQueue(database, logger) : undefined;
    const events = new DomainEvents({ raw: database.raw, logger });
    const platform: Platform = {
      config,
      logger,
      database,
      db,
      now,
      keyRing,
      catalog,
      resolver,
      audit: writeAudit,
      jobs,
      events,
    };
    const add = <S>(m: PlinthModule<S>): PlinthModule<S> => {
      created.push(m);
      return m;
    };

    const tenancy = add(await tenancyModule.create(platform, {})).services;
    // Compliance gates the modules after it: each gets its port (`gate`) as a need. Tenancy is created first (the
    // gate reads its customers), so its onboarding check is set here.
    const compliance = add(
      await complianceModule.create(platform, {
        ...tenancy,
        apr: computeApr,
        aprAccuracy: checkDisclosedApr,
      }),
    ).services;
    tenancy.customers.setOnboardingCheck(compliance.onboarding);
    const lending = add(await lendingModule.create(platform, { ...tenancy, gate: compliance.gate })).services;
    const payments = add(
      await paymentsModule.create(platform, {
        customers: tenancy.customers,
        programs: lending.programs,
        loanPayments: lending.payments,
        ...(lending.compliance && { loanCompliance: lending.compliance }),
      }),
    ).services;
    const aggregation = add(await aggregationModule.create(platform, tenancy)).services;
    // ability_to_repay measures income on the borrower's linked accounts: six whole months through the approval.
    compliance.checks.setCashFlowSource((scope, customer, asOf) =>
      aggregation.cashFlow.forUnderwriting(scope, customer, { months: 6, endDate: asOf }),
    );
    const cardAuthorizations = add(
      await cardAuthorizationsModule.create(platform, {
        tenantZone: (tenantId) => tenancy.tenants.timeZone(tenantId),
        // Card spend on a loan-owned expense line is funded by that revolving loan (lending's lines of credit).
        loanFunding: opts.loanFunding ?? lending.cardFunding,
        loanExists: async (scope, loanId) => (await lending.loans.get(scope, loanId)).ok,
      }),
    ).services;
    const documents = add(
      await documentsModule.create(platform, { customers: tenancy.customers, loans: lending.loans }),
    ).services;
    const communications = add(
      await communicationsModule.create(platform, {
        customers: tenancy.customers,
        lending,
        documents,
        gate: compliance.gate,
      }),
    ).services;
    const reporting = add(
      await reportingModule.create(platform, { lending, compliance, customers: tenancy.customers }),
    ).services;

    const queue = jobs;
    return {
      config,
      logger,
      database,
      platform,
      keyRing,
      catalog,
      resolver,
      providerConfigs,
      providerSets,
      tenancy,
      compliance,
      lending,
      payments,
      aggregation,
      cardAuthorizations,
      documents,
      communications,
      reporting,
      modules: created,
      jobs,
      async startWorkers() {
        if (!queue || !config.PLINTH_WORKERS) return;
        await startModuleWorkers(queue, [housekeeping(platform), ...created.flatMap((m) => m.workers ?? [])]);
        // Domain events published before this start (by a process without workers, or before a crash) go now.
        events.start();
        events.wake();
      },
      async close() {
        await events.stop();
        await queue?.stop();
        for (const m of [...created].reverse()) await m.close?.();
        await providerChanges.unlisten();
        await database.close();
      },
    };
  } catch (e) {
    await jobs?.stop();
    for (const m of created.reverse()) await m.close?.();
    await database.close();
    throw e;
  }
}
