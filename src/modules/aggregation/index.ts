// The aggregation module's public surface: what the composition root needs (its services: financial-data
// connections, OAuth, sync, file imports, the normalized accounts and the cash-flow summary for underwriting).
export { type Aggregation, aggregationModule } from './module.js';
