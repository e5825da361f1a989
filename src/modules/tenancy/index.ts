// The tenancy module's public surface: tenants, API keys and roles, customers, the audit log.
export { writeAudit } from './audit.js';
export { type Customer, type CustomerInput, CustomerService } from './customers.js';
export { type Principal, ROLES, type Role, type RouteAccess, roleSatisfies, scopeOf } from './principal.js';
export { customerJson, tenancyRoutes } from './routes.js';
export * as tenancyTables from './store.js';
export { TenantService } from './tenants.js';
