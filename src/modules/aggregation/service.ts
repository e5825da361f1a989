import type { AuditWriter } from '../../kernel/audit.js';
import type { Db } from '../../kernel/db.js';
import type { Logger } from '../../kernel/logging.js';
import type { KeyRing } from '../../providers/credentials.js';
import type { Catalog } from '../../providers/registry.js';
import type { ProviderResolver } from '../../providers/resolution.js';
import type { CustomerService } from '../tenancy/index.js';
import { CashFlowService } from './cash-flow.js';
import { ConnectionService } from './connections.js';
import { ImportService } from './imports.js';
import type { CallbackDeps } from './oauth.js';
import { AccountReads } from './reads.js';
import { AccountPseudonyms } from './secrets.js';
import { SyncService } from './sync.js';

/** The module's services, built once by the composition root. */
export interface Aggregation {
  catalog: Catalog;
  connections: ConnectionService;
  callbacks: CallbackDeps;
  sync: SyncService;
  imports: ImportService;
  reads: AccountReads;
  cashFlow: CashFlowService;
}

export interface AggregationDeps {
  db: Db;
  catalog: Catalog;
  resolver: ProviderResolver;
  keyRing: KeyRing;
  customers: CustomerService;
  audit: AuditWriter;
  logger: Logger;
  now: () => Date;
  publicUrl: string;
}

export function createAggregation(deps: AggregationDeps): Aggregation {
  return {
    catalog: deps.catalog,
    connections: new ConnectionService(deps),
    callbacks: deps,
    sync: new SyncService(deps),
    imports: new ImportService({ ...deps, pseudonyms: new AccountPseudonyms(deps.keyRing) }),
    reads: new AccountReads(deps),
    cashFlow: new CashFlowService(deps),
  };
}
