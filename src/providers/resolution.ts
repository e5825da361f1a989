import type { Db } from '../kernel/db.js';
import { ConfigurationError } from '../kernel/errors.js';
import type { KeyRing } from './credentials.js';
import { type EndpointPolicy, endpointIssues } from './endpoints.js';
import type { Catalog } from './registry.js';
import { openConfig } from './sealed-config.js';
import * as store from './store.js';
import type { AnyProviderDefinition, ProviderDeps, ServiceType } from './types.js';

export interface ResolvedProvider<I = unknown> {
  source: 'program' | 'tenant_default' | 'direct';
  providerConfigId: string;
  providerKey: string;
  serviceType: string;
  tenantId: string;
  version: number;
  isActive: boolean;
  definition: AnyProviderDefinition;
  config: Record<string, unknown>;
  instance: I;
}

export type Resolution<I = unknown> = ResolvedProvider<I> | { source: 'none' };

interface ChainEntry {
  configId: string | null;
  source: 'program' | 'tenant_default' | 'none';
  /**
   * The answer last given for this entry, reused while its instance is current: rebuilding it with a spread on
   * every call is a slow path in V8, and card decisions resolve twice per payment.
   */
  answer?: ResolvedProvider;
}

/**
 * The one place that decides which provider serves a tenant (and optionally a program): the program's assignment,
 * else the tenant's default, else none. Both the chain's answer and the built instance are cached; instances are
 * keyed by (tenant, config id, version), so a changed config can never be served from a stale instance, and every
 * change drops the tenant's chain entries (locally at once, in other processes through NOTIFY).
 */
export class ProviderResolver {
  readonly #chains = new Map<string, Map<string, ChainEntry>>();
  readonly #instances = new Map<string, ResolvedProvider>();
  /** byId answers, for inbound webhooks that look their config up on every request (card relays). */
  readonly #byId = new Map<string, ResolvedProvider>();
  /** Bumped by every invalidation, so a load that raced one is not cached. */
  #generation = 0;

  readonly #providerDeps: ProviderDeps;

  constructor(
    private readonly deps: {
      db: Db;
      catalog: Catalog;
      keyRing: KeyRing;
      providerDeps: ProviderDeps;
      endpoints: EndpointPolicy;
    },
  ) {
    // In production every HTTP client a provider builds reaches public addresses only.
    this.#providerDeps = {
      ...deps.providerDeps,
      http: { publicAddressesOnly: deps.endpoints.production },
    };
  }

  async resolve<I>(
    tenantId: string,
    serviceType: ServiceType,
    programId?: string | null,
  ): Promise<Resolution<I>> {
    const hit = this.cached<I>(tenantId, serviceType, programId);
    if (hit) return hit;
    const chainKey = `${serviceType}|${programId ?? ''}`;
    let tenantChains = this.#chains.get(tenantId);
    const found = await store.resolveRow(this.deps.db, tenantId, serviceType, programId ?? null);
    if (!tenantChains) {
      tenantChains = new Map();
      this.#chains.set(tenantId, tenantChains);
    }
    if (!found) {
      tenantChains.set(chainKey, { configId: null, source: 'none' });
      return { source: 'none' };
    }
    tenantChains.set(chainKey, { configId: found.row.id, source: found.source });
    return { ...this.#instance<I>(found.row), source: found.source };
  }

  /**
   * What `resolve` answers when the answer is cached, without touching the database; undefined when it is not.
   * The card decision path asks this first, so that a hit costs no promise.
   */
  cached<I>(
    tenantId: string,
    serviceType: ServiceType,
    programId?: string | null,
  ): Resolution<I> | undefined {
    const entry = this.#chains.get(tenantId)?.get(`${serviceType}|${programId ?? ''}`);
    if (!entry) return undefined;
    if (!entry.configId) return { source: 'none' };
    const hit = this.#instances.get(`${tenantId}|${entry.configId}`);
    if (!hit) return undefined;
    if (entry.answer?.instance !== hit.instance)
      entry.answer = { ...hit, source: entry.source as ResolvedProvider['source'] };
    return entry.answer as ResolvedProvider<I>;
  }

  /**
   * A specific config, for records that stored the config they used (a capture goes where its authorization went)
   * and for inbound webhooks that name their config. Inactive configs still resolve here; deleted ones do not.
   */
  async byId<I>(configId: string, tenantId?: string): Promise<ResolvedProvider<I> | undefined> {
    const hit = this.#byId.get(configId);
    if (hit && (!tenantId || hit.tenantId === tenantId)) return hit as ResolvedProvider<I>;
    const generation = this.#generation;
    const row = tenantId
      ? await store.findConfig(this.deps.db, tenantId, configId)
      : await store.findConfigById(this.deps.db, configId);
    if (!row) return undefined;
    const resolved: ResolvedProvider<I> = { ...this.#instance<I>(row), source: 'direct' };
    if (generation === this.#generation) this.#byId.set(configId, resolved);
    return resolved;
  }

  #instance<I>(row: store.ProviderConfigRow): ResolvedProvider<I> {
    const key = `${row.tenantId}|${row.id}`;
    const hit = this.#instances.get(key);
    if (hit && hit.version === row.version) return hit as ResolvedProvider<I>;
    const definition = this.deps.catalog.get(row.serviceType as ServiceType, row.providerKey);
    if (!definition) throw new Error(`no ${row.serviceType} provider "${row.providerKey}" is registered`);
    const config = openConfig(this.deps.keyRing, row);
    const parsed = definition.configSchema.parse(config);
    // Checked again when used: the operator may have withdrawn an origin since the config was saved.
    const refused = endpointIssues(definition, parsed, this.deps.endpoints);
    if (refused.length > 0)
      throw new ConfigurationError(
        `provider config ${row.id}: ${refused.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
        'endpoint_not_allowed',
      );
    const resolved: ResolvedProvider<I> = {
      source: 'direct',
      providerConfigId: row.id,
      providerKey: row.providerKey,
      serviceType: row.serviceType,
      tenantId: row.tenantId,
      version: row.version,
      isActive: row.isActive,
      definition,
      config,
      instance: definition.create(parsed, this.#providerDeps) as I,
    };
    this.#instances.set(key, resolved);
    return resolved;
  }

  /** Drops everything cached for a tenant. */
  invalidate(tenantId: string): void {
    this.#generation++;
    this.#chains.delete(tenantId);
    for (const [id, r] of this.#byId) if (r.tenantId === tenantId) this.#byId.delete(id);
    for (const key of this.#instances.keys()) if (key.startsWith(`${tenantId}|`)) this.#instances.delete(key);
  }
}
