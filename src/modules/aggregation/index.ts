// The aggregation module's public surface: what the composition root needs (its services: financial-data
// connections, OAuth, sync, file imports, the normalized accounts and the cash-flow summary for underwriting).

// What compliance rules read when underwriting (ability to repay).
export type { CashFlowSummary } from './domain/cash-flow/index.js';
export { type Aggregation, aggregationModule } from './module.js';
