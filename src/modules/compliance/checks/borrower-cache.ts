import type { BorrowerFacts } from '../domain/index.js';

/**
 * The borrower facts the gate read of each customer, per tenant: an approval, a disbursement and every payment of
 * a loan evaluate the same borrower, and reading the customer was most of what the gate cost an operation. Kept
 * true the way the resolver keeps provider configs: tenancy tells compliance after a customer's change commits,
 * and `tenantChanges` drops the tenant's entries here and in every other process (module.ts). A load that raced an
 * invalidation is answered but not kept.
 */
export class BorrowerCache {
  readonly #byTenant = new Map<string, Map<string, BorrowerFacts>>();
  /** Bumped by every invalidation, so a load that started before one is not cached. */
  #generation = 0;

  async get(
    tenantId: string,
    customerId: string,
    load: () => Promise<BorrowerFacts | undefined>,
  ): Promise<BorrowerFacts | undefined> {
    const hit = this.#byTenant.get(tenantId)?.get(customerId);
    if (hit) return hit;
    const generation = this.#generation;
    const loaded = await load();
    if (loaded && generation === this.#generation) {
      let tenant = this.#byTenant.get(tenantId);
      if (!tenant) {
        tenant = new Map();
        this.#byTenant.set(tenantId, tenant);
      }
      tenant.set(customerId, loaded);
    }
    return loaded;
  }

  invalidate(tenantId: string): void {
    this.#generation++;
    this.#byTenant.delete(tenantId);
  }
}
