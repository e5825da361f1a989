// The tenancy module's public surface: tenants, API keys and roles, customers, the audit log.
export { writeAudit } from './audit/service.js';
export { customerJson } from './customers/routes.js';
export type {
  Customer,
  CustomerCheck,
  CustomerDraft,
  CustomerInput,
  CustomerService,
} from './customers/service.js';
export {
  type Principal,
  ROLES,
  type Role,
  type RouteAccess,
  roleSatisfies,
  scopeOf,
} from './domain/principal.js';
export { type Tenancy, tenancyModule } from './module.js';
export type { Address, CustomerRow, TenantRow } from './tables.js';
export type { TenantService } from './tenants/service.js';
