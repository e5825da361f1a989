import type { SealedColumn } from '../../providers/index.js';
import type { ModuleDefinition } from '../platform.js';
import { auditRoutes } from './audit/routes.js';
import { AuditService, writeAudit } from './audit/service.js';
import { customerRoutes } from './customers/routes.js';
import { CustomerService } from './customers/service.js';
import { taxIdColumn } from './customers/tax-id.js';
import { signInLinkRoutes } from './sign-in-links/routes.js';
import { SignInLinkService } from './sign-in-links/service.js';
import { tenantRoutes } from './tenants/routes.js';
import { TenantService } from './tenants/service.js';

/** A revoked key's hash, so every process drops it from its authentication cache at once. */
const KEY_REVOKED = 'plinth_api_key_revoked';

export interface Tenancy {
  tenants: TenantService;
  customers: CustomerService;
  audit: AuditService;
  signInLinks: SignInLinkService;
}

export const tenancyModule: ModuleDefinition<Tenancy> = {
  name: 'tenancy',
  sealed: [taxIdColumn] as readonly SealedColumn[],
  async create({ database, db, keyRing }) {
    const tenants = new TenantService({
      db,
      audit: writeAudit,
      keyRevoked: (hashHex) => database.notify(KEY_REVOKED, hashHex),
    });
    const unlisten = await database.listen(KEY_REVOKED, (hashHex) => tenants.forget(hashHex));
    const customers = new CustomerService({ db, audit: writeAudit, keyRing });
    const audit = new AuditService({ db });
    const signInLinks = new SignInLinkService({ db, audit: writeAudit, tenants });
    return {
      name: 'tenancy',
      services: { tenants, customers, audit, signInLinks },
      async routes(app) {
        await app.register(tenantRoutes, { tenants });
        await app.register(customerRoutes, { customers });
        await app.register(auditRoutes, { audit });
        await app.register(signInLinkRoutes, { links: signInLinks });
      },
      close: unlisten,
    };
  },
};
