import type { AuditWriter, Scope } from '../kernel/audit.js';
import type { Db } from '../kernel/db.js';
import { ConfigurationError } from '../kernel/errors.js';
import { uuidv7 } from '../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../kernel/result.js';
import { fieldIssues } from '../kernel/validation.js';
import { openConfig, sealConfig } from './config-secrets.js';
import type { KeyRing } from './credentials.js';
import { type EndpointPolicy, endpointIssues } from './endpoints.js';
import { maskConfig, mergeConfig } from './masking.js';
import type { Catalog } from './registry.js';
import { countSetAssignmentsOf } from './set-store.js';
import * as store from './store.js';
import type { AnyProviderDefinition, ServiceType } from './types.js';

type Json = Record<string, unknown>;

export interface ProviderConfigView {
  id: string;
  label: string;
  serviceType: string;
  providerKey: string;
  /** Masked. Null when the stored token cannot be opened (see configError). */
  config: Json | null;
  configError: string | null;
  isActive: boolean;
  isDefault: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProviderConfigInput {
  label: string;
  serviceType: ServiceType;
  providerKey: string;
  config: Json;
  isDefault?: boolean;
  isActive?: boolean;
}

export type ProviderConfigPatch = Partial<
  Pick<ProviderConfigInput, 'label' | 'config' | 'isDefault' | 'isActive'>
>;

export interface ProviderConfigServiceDeps {
  db: Db;
  catalog: Catalog;
  keyRing: KeyRing;
  audit: AuditWriter;
  /** Where configs may point (vendors' hosts, the operator's allowed origins). */
  endpoints: EndpointPolicy;
  /** Called after a committed change, so resolution caches everywhere drop the tenant's entries. */
  changed: (tenantId: string) => Promise<void>;
}

export class ProviderConfigService {
  constructor(private readonly deps: ProviderConfigServiceDeps) {}

  #definition(serviceType: string, providerKey: string): Result<AnyProviderDefinition> {
    const def = this.deps.catalog.get(serviceType as ServiceType, providerKey);
    if (def) return ok(def);
    const supported = this.deps.catalog.registry(serviceType as ServiceType)?.keys() ?? [];
    return err(
      failure(
        'unprocessable',
        'unknown_provider',
        `unknown ${serviceType} provider "${providerKey}"; supported: ${supported.join(', ') || 'none'}`,
        {
          fields: [{ path: 'provider_key', message: 'unknown provider' }],
          extra: { supported_keys: supported },
        },
      ),
    );
  }

  #validate(def: AnyProviderDefinition, config: Json): Result<Json> {
    const parsed = def.configSchema.safeParse(config);
    if (!parsed.success)
      return err(
        failure('unprocessable', 'invalid_config', `config does not match the ${def.key} schema`, {
          fields: fieldIssues(parsed.error, 'config'),
        }),
      );
    // Checked on the parsed config, so a default endpoint is held to the same rule as one that was sent.
    const refused = endpointIssues(def, parsed.data as Json, this.deps.endpoints);
    if (refused.length === 0) return ok(config);
    return err(
      failure(
        'unprocessable',
        'endpoint_not_allowed',
        refused.map((f) => `${f.path}: ${f.message}`).join('; '),
        { fields: refused },
      ),
    );
  }

  #view(row: store.ProviderConfigRow): ProviderConfigView {
    const def = this.deps.catalog.get(row.serviceType as ServiceType, row.providerKey);
    let config: Json | null = null;
    let configError: string | null = null;
    try {
      config = maskConfig(openConfig(this.deps.keyRing, row), def?.secretFields ?? []);
    } catch (e) {
      if (!(e instanceof ConfigurationError)) throw e;
      configError = e.message;
    }
    return {
      id: row.id,
      label: row.label,
      serviceType: row.serviceType,
      providerKey: row.providerKey,
      config,
      configError,
      isActive: row.isActive,
      isDefault: row.isDefault,
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  async list(scope: Scope, serviceType?: string): Promise<ProviderConfigView[]> {
    return (await store.listConfigs(this.deps.db, scope.tenantId, serviceType)).map((r) => this.#view(r));
  }

  async get(scope: Scope, id: string): Promise<Result<ProviderConfigView>> {
    const row = await store.findConfig(this.deps.db, scope.tenantId, id);
    return row ? ok(this.#view(row)) : err(notFound('provider config'));
  }

  async create(scope: Scope, input: ProviderConfigInput): Promise<Result<ProviderConfigView>> {
    const def = this.#definition(input.serviceType, input.providerKey);
    if (!def.ok) return def;
    const valid = this.#validate(def.value, input.config);
    if (!valid.ok) return valid;
    const id = uuidv7();
    const isActive = input.isActive ?? true;
    const isDefault = input.isDefault ?? false;
    const ids = {
      tenantId: scope.tenantId,
      id,
      serviceType: input.serviceType,
      providerKey: input.providerKey,
    };
    const row = await this.deps.db.transaction(async (tx) => {
      if (isDefault && isActive) await store.clearDefault(tx, scope.tenantId, input.serviceType, id);
      const created = await store.insertConfig(tx, {
        ...ids,
        label: input.label,
        config: sealConfig(this.deps.keyRing, ids, input.config),
        isActive,
        isDefault,
        version: 1,
      });
      await this.deps.audit(tx, scope, {
        action: 'provider_config.created',
        entityType: 'provider_config',
        entityId: id,
        changes: {
          label: input.label,
          service_type: input.serviceType,
          provider_key: input.providerKey,
          is_default: isDefault,
          is_active: isActive,
          config: maskConfig(input.config, def.value.secretFields),
        },
      });
      return created;
    });
    await this.deps.changed(scope.tenantId);
    return ok(this.#view(row));
  }

  async update(scope: Scope, id: string, patch: ProviderConfigPatch): Promise<Result<ProviderConfigView>> {
    const current = await store.findConfig(this.deps.db, scope.tenantId, id);
    if (!current) return err(notFound('provider config'));
    const def = this.#definition(current.serviceType, current.providerKey);
    if (!def.ok) return def;
    const secrets = def.value.secretFields;
    let sealed: string | undefined;
    let before: Json | undefined;
    let after: Json | undefined;
    if (patch.config) {
      before = openConfig(this.deps.keyRing, current);
      after = mergeConfig(before, patch.config, secrets);
      const valid = this.#validate(def.value, after);
      if (!valid.ok) return valid;
      sealed = sealConfig(this.deps.keyRing, current, after);
    }
    const isActive = patch.isActive ?? current.isActive;
    const isDefault = patch.isDefault ?? current.isDefault;
    const row = await this.deps.db.transaction(async (tx) => {
      if (isDefault && isActive) await store.clearDefault(tx, scope.tenantId, current.serviceType, id);
      const updated = await store.updateConfig(tx, scope.tenantId, id, {
        label: patch.label,
        config: sealed,
        isActive: patch.isActive,
        isDefault: patch.isDefault,
      });
      await this.deps.audit(tx, scope, {
        action: 'provider_config.updated',
        entityType: 'provider_config',
        entityId: id,
        changes: {
          ...(patch.label !== undefined && { label: patch.label }),
          ...(patch.isActive !== undefined && { is_active: patch.isActive }),
          ...(patch.isDefault !== undefined && { is_default: patch.isDefault }),
          ...(before &&
            after && { config: { before: maskConfig(before, secrets), after: maskConfig(after, secrets) } }),
        },
      });
      return updated;
    });
    if (!row) return err(notFound('provider config'));
    await this.deps.changed(scope.tenantId);
    return ok(this.#view(row));
  }

  async remove(scope: Scope, id: string): Promise<Result<null>> {
    const assigned =
      (await store.countAssignmentsOf(this.deps.db, scope.tenantId, id)) +
      (await countSetAssignmentsOf(this.deps.db, scope.tenantId, id));
    if (assigned > 0) {
      return err(
        failure(
          'conflict',
          'provider_config_in_use',
          `provider config is assigned to ${assigned} program(s)`,
        ),
      );
    }
    const removed = await this.deps.db.transaction(async (tx) => {
      const done = await store.softDeleteConfig(tx, scope.tenantId, id);
      if (done) {
        await this.deps.audit(tx, scope, {
          action: 'provider_config.deleted',
          entityType: 'provider_config',
          entityId: id,
          changes: {},
        });
      }
      return done;
    });
    if (!removed) return err(notFound('provider config'));
    await this.deps.changed(scope.tenantId);
    return ok(null);
  }

  /** Points a program at a config for one service type. The caller has checked that the program is the tenant's. */
  async assign(
    scope: Scope,
    programId: string,
    serviceType: ServiceType,
    providerConfigId: string,
  ): Promise<Result<{ programId: string; serviceType: string; providerConfigId: string }>> {
    const config = await store.findConfig(this.deps.db, scope.tenantId, providerConfigId);
    if (!config) {
      return err(
        failure('unprocessable', 'unknown_provider_config', 'provider_config_id: no such provider config', {
          fields: [{ path: 'provider_config_id', message: 'no such provider config' }],
        }),
      );
    }
    if (config.serviceType !== serviceType) {
      return err(
        failure(
          'unprocessable',
          'service_type_mismatch',
          `provider config ${providerConfigId} is a ${config.serviceType} config, not ${serviceType}`,
          { fields: [{ path: 'provider_config_id', message: `is a ${config.serviceType} config` }] },
        ),
      );
    }
    await this.deps.db.transaction(async (tx) => {
      await store.upsertAssignment(tx, {
        tenantId: scope.tenantId,
        programId,
        serviceType,
        providerConfigId,
      });
      await this.deps.audit(tx, scope, {
        action: 'provider_assignment.set',
        entityType: 'program',
        entityId: programId,
        changes: { service_type: serviceType, provider_config_id: providerConfigId },
      });
    });
    await this.deps.changed(scope.tenantId);
    return ok({ programId, serviceType, providerConfigId });
  }

  async unassign(scope: Scope, programId: string, serviceType: ServiceType): Promise<Result<null>> {
    const removed = await this.deps.db.transaction(async (tx) => {
      const done = await store.deleteAssignment(tx, scope.tenantId, programId, serviceType);
      if (done) {
        await this.deps.audit(tx, scope, {
          action: 'provider_assignment.removed',
          entityType: 'program',
          entityId: programId,
          changes: { service_type: serviceType },
        });
      }
      return done;
    });
    if (!removed) return err(notFound('provider assignment'));
    await this.deps.changed(scope.tenantId);
    return ok(null);
  }
}
