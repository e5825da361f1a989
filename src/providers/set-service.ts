import type { AuditWriter, Scope } from '../kernel/audit.js';
import type { Db } from '../kernel/db.js';
import { err, failure, notFound, ok, type Result } from '../kernel/result.js';
import * as setStore from './set-store.js';
import * as store from './store.js';
import type { ServiceType } from './types.js';

export interface SetAssignment {
  programId: string;
  serviceType: string;
  providerKey: string;
  /** null: the provider key is switched off for the program. */
  providerConfigId: string | null;
}

/**
 * Program overrides of the set of configs a tenant applies for a service type of which several providers are
 * active at once (compliance rules): `ProviderResolver.resolveSet` reads them. The caller has checked that the
 * program is the tenant's.
 */
export class ProviderSetAssignments {
  constructor(
    private readonly deps: { db: Db; audit: AuditWriter; changed: (tenantId: string) => Promise<void> },
  ) {}

  async list(scope: Scope, programId: string, serviceType?: ServiceType): Promise<SetAssignment[]> {
    const rows = await setStore.listSetAssignments(this.deps.db, scope.tenantId, programId, serviceType);
    return rows.map((r) => ({
      programId: r.programId,
      serviceType: r.serviceType,
      providerKey: r.providerKey,
      providerConfigId: r.providerConfigId,
    }));
  }

  /** Replaces the tenant's configs of `providerKey` for the program by one config of that key, or by none. */
  async set(scope: Scope, a: SetAssignment & { serviceType: ServiceType }): Promise<Result<SetAssignment>> {
    if (a.providerConfigId !== null) {
      const config = await store.findConfig(this.deps.db, scope.tenantId, a.providerConfigId);
      const problem = !config
        ? 'no such provider config'
        : config.serviceType !== a.serviceType
          ? `is a ${config.serviceType} config, not ${a.serviceType}`
          : config.providerKey !== a.providerKey
            ? `is a ${config.providerKey} config, not ${a.providerKey}`
            : null;
      if (problem)
        return err(
          failure('unprocessable', 'invalid_set_assignment', `provider_config_id: ${problem}`, {
            fields: [{ path: 'provider_config_id', message: problem }],
          }),
        );
    }
    await this.deps.db.transaction(async (tx) => {
      await setStore.upsertSetAssignment(tx, { tenantId: scope.tenantId, ...a });
      await this.deps.audit(tx, scope, {
        action: 'provider_set_assignment.set',
        entityType: 'program',
        entityId: a.programId,
        changes: {
          service_type: a.serviceType,
          provider_key: a.providerKey,
          provider_config_id: a.providerConfigId,
        },
      });
    });
    await this.deps.changed(scope.tenantId);
    return ok(a);
  }

  /** Removes the program's override: the tenant's configs of the key apply again. */
  async remove(
    scope: Scope,
    key: { programId: string; serviceType: ServiceType; providerKey: string },
  ): Promise<Result<null>> {
    const removed = await this.deps.db.transaction(async (tx) => {
      const done = await setStore.deleteSetAssignment(tx, { tenantId: scope.tenantId, ...key });
      if (done)
        await this.deps.audit(tx, scope, {
          action: 'provider_set_assignment.removed',
          entityType: 'program',
          entityId: key.programId,
          changes: { service_type: key.serviceType, provider_key: key.providerKey },
        });
      return done;
    });
    if (!removed) return err(notFound('provider set assignment'));
    await this.deps.changed(scope.tenantId);
    return ok(null);
  }
}
