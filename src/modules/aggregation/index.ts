// The aggregation module's public surface: financial-data providers, connections, sync, imports, the
// normalized accounts/transactions/holdings/snapshots, and the cash-flow summary for underwriting.
export type { CashFlowSummary } from './domain/cash-flow/index.js';
export { summarizeCashFlow } from './domain/cash-flow/index.js';
export type { FinancialProviderDefinition } from './domain/provider.js';
export { type Aggregation, aggregationModule } from './module.js';
export { aggregationRegistries, financialDefinitionProblems } from './registry.js';
export { enqueueDueSyncs } from './scheduler.js';
