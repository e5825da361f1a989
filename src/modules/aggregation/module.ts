import { tenantChanges } from '../../kernel/tenant-changes.js';
import type { SealedColumn } from '../../providers/index.js';
import type { ModuleDefinition } from '../platform.js';
import type { CustomerService } from '../tenancy/index.js';
import { accountRoutes } from './accounts/routes.js';
import { AccountService } from './accounts/service.js';
import { cashFlowRoutes } from './cash-flow/routes.js';
import { CashFlowService } from './cash-flow/service.js';
import { ACCOUNT_CHANGES } from './cash-flow/store.js';
import { connectionCredentialsColumn } from './connections/credentials.js';
import { connectionRoutes } from './connections/routes.js';
import { ConnectionService } from './connections/service.js';
import { AccountPseudonyms, tenantKeysColumn } from './imports/pseudonyms.js';
import { importRoutes } from './imports/routes.js';
import { ImportService } from './imports/service.js';
import { importSweepWorker } from './imports/staging.js';
import { oauthRoutes } from './oauth/routes.js';
import { OAuthService } from './oauth/service.js';
import { aggregationRegistries } from './registry.js';
import { syncRoutes } from './sync/routes.js';
import { SyncService } from './sync/service.js';
import { syncWorkers } from './sync/workers.js';

export interface Aggregation {
  connections: ConnectionService;
  oauth: OAuthService;
  sync: SyncService;
  imports: ImportService;
  accounts: AccountService;
  cashFlow: CashFlowService;
}

export const aggregationModule: ModuleDefinition<Aggregation, { customers: CustomerService }> = {
  name: 'aggregation',
  registries: aggregationRegistries,
  // Re-sealed by `plinth keys rotate`: the customers' credentials, and the keys of account pseudonyms.
  sealed: [connectionCredentialsColumn, tenantKeysColumn] as readonly SealedColumn[],
  async create(platform, { customers }) {
    const { config, database, db, catalog, resolver, keyRing, audit, logger, now, jobs } = platform;
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
      oauth: new OAuthService(deps),
      sync: new SyncService(deps),
      imports: new ImportService({ ...deps, pseudonyms: new AccountPseudonyms(keyRing) }),
      accounts: new AccountService(deps),
      cashFlow: new CashFlowService(deps),
    };
    const { connections, oauth, sync, imports, accounts, cashFlow } = services;
    // Account writes send their notice in their own statement (accountsChangedSql), so nothing here calls changed.
    const accountChanges = await tenantChanges(database, ACCOUNT_CHANGES, (t) => cashFlow.forget(t));
    return {
      name: 'aggregation',
      services,
      async routes(app) {
        await app.register(accountRoutes, { accounts });
        await app.register(cashFlowRoutes, { cashFlow });
        await app.register(connectionRoutes, { connections });
        await app.register(syncRoutes, { sync });
        await app.register(oauthRoutes, { oauth });
        await app.register(importRoutes, { imports, uploadLimitBytes: config.PLINTH_UPLOAD_LIMIT_BYTES });
      },
      workers: [...syncWorkers(jobs, sync, logger), ...(jobs ? [importSweepWorker(db, logger)] : [])],
      close: accountChanges.unlisten,
    };
  },
};
