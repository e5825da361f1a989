import type { Catalog } from '../../providers/registry.js';
import { CashFlowService } from './cash-flow.js';
import { ConnectionService, type ConnectionServiceDeps } from './connections.js';
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

/** What the module needs from the composition root (the connection service needs all of it). */
export type AggregationDeps = ConnectionServiceDeps;

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
