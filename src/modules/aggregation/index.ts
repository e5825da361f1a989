// The aggregation module's public surface: financial-data providers, connections, sync, imports, the
// normalized accounts/transactions/holdings/snapshots, and the cash-flow summary for underwriting.
export type { CashFlowSummary } from './domain/cash-flow/index.js';
export { summarizeCashFlow } from './domain/cash-flow/index.js';
// Writes OFX statement files: test fixtures, benchmarks and the demo's sample statement.
export { writeOfx } from './domain/ofx/fixtures/write-ofx.js';
export type { FinancialProviderDefinition } from './domain/provider.js';
export { financialDataRegistry, financialDefinitionProblems } from './registry.js';
export { rotateConnectionCredentials, rotateTenantKeys } from './rotation.js';
export { aggregationRoutes } from './routes.js';
export { enqueueDueSyncs, registerSyncWorkers } from './scheduler.js';
export { type Aggregation, createAggregation } from './service.js';
export * as aggregationTables from './store.js';
