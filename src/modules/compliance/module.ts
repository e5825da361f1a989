import type { Scope } from '../../kernel/audit.js';
import type { Result } from '../../kernel/result.js';
import { tenantChanges } from '../../kernel/tenant-changes.js';
import type { ModuleDefinition } from '../platform.js';
import type { CustomerDraft, CustomerService, TenantService } from '../tenancy/index.js';
import { borrowerOf } from './checks/borrower.js';
import { BorrowerCache } from './checks/borrower-cache.js';
import type { ComplianceGate, GateDecision } from './checks/gate.js';
import { checkRoutes } from './checks/routes.js';
import { ComplianceService } from './checks/service.js';
import type { AprAccuracyCheck, AprCalculator } from './domain/index.js';
import { ofacRoutes } from './ofac/routes.js';
import { OfacService } from './ofac/service.js';
import { complianceRuleRegistry } from './registry.js';

/** A new OFAC list's tenant, so every process drops that tenant's index at once. */
const OFAC_CHANGES = 'plinth_ofac_changes';
/** A tenant whose customer changed, so every process drops the borrower facts it keeps of that tenant. */
const BORROWER_CHANGES = 'plinth_borrower_changes';

export interface Compliance {
  /** The port the gated modules call (lending, payments, communications). */
  gate: ComplianceGate;
  checks: ComplianceService;
  ofac: OfacService;
  /** Tenancy's onboarding check (customer_onboarding), set on its customer service by the composition root. */
  onboarding(scope: Scope, customer: CustomerDraft): Promise<Result<GateDecision>>;
}

export interface ComplianceNeeds {
  customers: CustomerService;
  tenants: TenantService;
  /** Lending's Appendix J arithmetic (a pure function): the rules never re-implement it. */
  apr: AprCalculator;
  /** Lending's tolerance test of a disclosed APR (no solve): tila_apr_disclosure at every quote and approval. */
  aprAccuracy: AprAccuracyCheck;
}

export const complianceModule: ModuleDefinition<Compliance, ComplianceNeeds> = {
  name: 'compliance',
  registries: () => [complianceRuleRegistry()],
  async create(
    { config, database, db, resolver, catalog, audit, now },
    { customers, tenants, apr, aprAccuracy },
  ) {
    const ofac = new OfacService({
      db,
      audit,
      changed: (tenantId) => database.notify(OFAC_CHANGES, tenantId),
    });
    const unlisten = await database.listen(OFAC_CHANGES, (tenantId) => ofac.forget(tenantId));
    const borrowers = new BorrowerCache();
    const borrowerChanges = await tenantChanges(database, BORROWER_CHANGES, (t) => borrowers.invalidate(t));
    customers.onChanged((tenantId) => borrowerChanges.changed(tenantId));
    const checks = new ComplianceService({
      db,
      resolver,
      customers,
      tenants,
      ofac,
      apr,
      aprAccuracy,
      now,
      borrowers,
    });
    return {
      name: 'compliance',
      services: {
        gate: checks,
        checks,
        ofac,
        onboarding: (scope, customer) =>
          checks.check(scope, {
            hook: 'customer_onboarding',
            subject: { type: 'customer', id: customer.id },
            borrower: borrowerOf(customer),
            facts: {},
          }),
      },
      async routes(app) {
        await app.register(checkRoutes, { checks, catalog, resolver });
        await app.register(ofacRoutes, { ofac, uploadLimitBytes: config.PLINTH_UPLOAD_LIMIT_BYTES });
      },
      async close() {
        await unlisten();
        await borrowerChanges.unlisten();
      },
    };
  },
};
