// The lending module's public surface: programs (and, as they land, loans, leases, lines of credit, servicing).
export { type Program, type ProgramInput, ProgramService } from './programs.js';
export { lendingProgramRegistry } from './registry.js';
export { programJson, programRoutes } from './routes.js';
export * as lendingTables from './store.js';
