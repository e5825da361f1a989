import type { ModuleDefinition } from '../platform.js';
import type { CustomerService } from '../tenancy/index.js';
import { CashFlowService } from './cash-flow.js';
import { ConnectionService } from './connections.js';
import { ImportService } from './imports.js';
import { AccountReads } from './reads.js';
import { aggregationRegistries } from './registry.js';
import { aggregationSealedColumns } from './rotation.js';
import { aggregationRoutes } from './routes.js';
import { syncWorkers } from './scheduler.js';
import { AccountPseudonyms } from './secrets.js';
import { SyncService } from './sync.js';

export interface Aggregation {
  connections: ConnectionService;
  sync: SyncService;
  imports: ImportService;
  reads: AccountReads;
  cashFlow: CashFlowService;
}

export const aggregationModule: ModuleDefinition<Aggregation, { customers: CustomerService }> = {
  name: 'aggregation',
  registries: aggregationRegistries,
  sealed: aggregationSealedColumns,
  create(platform, { customers }) {
    const { config, db, catalog, resolver, keyRing, audit, logger, now, jobs } = platform;
    const deps = {
      db,
      catalog,
      resolver,
      keyRing,
      customers,
      audit,
      logger,
      now,
      publicUrl: config.publicUrl,
    };
    const services: Aggregation = {
      connections: new ConnectionService(deps),
      sync: new SyncService(deps),
      imports: new ImportService({ ...deps, pseudonyms: new AccountPseudonyms(keyRing) }),
      reads: new AccountReads(deps),
      cashFlow: new CashFlowService(deps),
    };
    return {
      name: 'aggregation',
      services,
      async routes(app) {
        await app.register(aggregationRoutes, {
          aggregation: services,
          uploadLimitBytes: config.PLINTH_UPLOAD_LIMIT_BYTES,
        });
      },
      workers: syncWorkers(jobs, services.sync, logger),
    };
  },
};
