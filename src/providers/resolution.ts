import type { Db } from '../kernel/db.js';
import { ConfigurationError } from '../kernel/errors.js';
import { openConfig } from './config-secrets.js';
import type { KeyRing } from './credentials.js';
import { type EndpointPolicy, endpointIssues } from './endpoints.js';
import type { Catalog } from './registry.js';
import * as setStore from './set-store.js';
import * as store from './store.js';
import type { DefinitionOf, InstanceOf, ProviderDeps, ServiceType } from './types.js';

export interface ResolvedProvider<S extends ServiceType = ServiceType> {
  /** `tenant`: a member of the tenant's set (resolveSet); `direct`: named by id (byId, ofProvider). */
  source: 'program' | 'tenant_default' | 'tenant' | 'direct';
  providerConfigId: string;
  providerKey: string;
  serviceType: S;
  tenantId: string;
  version: number;
  isActive: boolean;
  definition: DefinitionOf<S>;
  config: Record<string, unknown>;
  instance: InstanceOf<S>;
}

export type Resolution<S extends ServiceType = ServiceType> = ResolvedProvider<S> | { source: 'none' };

/**
 * A config of one provider key, for capabilities where a tenant configures several providers at once (financial
 * data: Schwab and Alpaca and file imports), so the per-service-type default does not decide.
 */
export type ProviderChoice<S extends ServiceType> =
  | { kind: 'resolved'; resolved: ResolvedProvider<S> }
  /** No active config of that provider. */
  | { kind: 'none' }
  /** The named config is not an active config of that provider. */
  | { kind: 'unknown_config' }
  /** Several active configs, none the default: the caller must name one. */
  | { kind: 'ambiguous'; count: number };

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
  /** resolveSet answers by tenant, then `serviceType|program`. */
  readonly #sets = new Map<string, Map<string, readonly ResolvedProvider[]>>();
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

  async resolve<S extends ServiceType>(
    tenantId: string,
    serviceType: S,
    programId?: string | null,
  ): Promise<Resolution<S>> {
    const hit = this.cached(tenantId, serviceType, programId);
    if (hit) return hit;
    const generation = this.#generation;
    const found = await store.resolveRow(this.deps.db, tenantId, serviceType, programId ?? null);
    // A change committed while this read was under way may not be in what it found: answer it, cache nothing.
    const current = generation === this.#generation;
    const entry: ChainEntry = found
      ? { configId: found.row.id, source: found.source }
      : { configId: null, source: 'none' };
    if (current) {
      let tenantChains = this.#chains.get(tenantId);
      if (!tenantChains) {
        tenantChains = new Map();
        this.#chains.set(tenantId, tenantChains);
      }
      tenantChains.set(`${serviceType}|${programId ?? ''}`, entry);
    }
    if (!found) return { source: 'none' };
    return { ...this.#instance<S>(found.row, current), source: found.source };
  }

  /**
   * Every config that applies of a service type of which several providers are active at once (compliance rules):
   * the tenant's active configs, except where the program overrides a provider key with one config of that key or
   * switches the key off (set-store.ts). Cached like `resolve`, per (tenant, service type, program); a read that
   * raced an invalidation is answered but not cached.
   */
  async resolveSet<S extends ServiceType>(
    tenantId: string,
    serviceType: S,
    programId?: string | null,
  ): Promise<readonly ResolvedProvider<S>[]> {
    const key = `${serviceType}|${programId ?? ''}`;
    const hit = this.#sets.get(tenantId)?.get(key);
    if (hit) return hit as readonly ResolvedProvider<S>[];
    const generation = this.#generation;
    const rows = await setStore.resolveSetRows(this.deps.db, tenantId, serviceType, programId ?? null);
    const current = generation === this.#generation;
    const members = rows.map(
      (m): ResolvedProvider<S> => ({ ...this.#instance<S>(m.row, current), source: m.source }),
    );
    if (current) {
      let tenantSets = this.#sets.get(tenantId);
      if (!tenantSets) {
        tenantSets = new Map();
        this.#sets.set(tenantId, tenantSets);
      }
      tenantSets.set(key, members);
    }
    return members;
  }

  /** A config of `providerKey`: the one named, else the tenant's default of the service type, else the only one. */
  async ofProvider<S extends ServiceType>(
    tenantId: string,
    serviceType: S,
    providerKey: string,
    configId?: string,
  ): Promise<ProviderChoice<S>> {
    const candidates = (await store.listConfigs(this.deps.db, tenantId, serviceType)).filter(
      (c) => c.providerKey === providerKey && c.isActive,
    );
    let chosen = configId ? candidates.find((c) => c.id === configId) : undefined;
    if (configId && !chosen) return { kind: 'unknown_config' };
    if (!chosen) {
      if (candidates.length === 0) return { kind: 'none' };
      chosen = candidates.find((c) => c.isDefault) ?? (candidates.length === 1 ? candidates[0] : undefined);
      if (!chosen) return { kind: 'ambiguous', count: candidates.length };
    }
    const resolved = await this.byId(serviceType, chosen.id, tenantId);
    return resolved ? { kind: 'resolved', resolved } : { kind: 'none' };
  }

  /**
   * What `resolve` answers when the answer is cached, without touching the database; undefined when it is not.
   * The card decision path asks this first, so that a hit costs no promise.
   */
  cached<S extends ServiceType>(
    tenantId: string,
    serviceType: S,
    programId?: string | null,
  ): Resolution<S> | undefined {
    const entry = this.#chains.get(tenantId)?.get(`${serviceType}|${programId ?? ''}`);
    if (!entry) return undefined;
    if (!entry.configId) return { source: 'none' };
    const hit = this.#instances.get(`${tenantId}|${entry.configId}`);
    if (!hit) return undefined;
    if (entry.answer?.instance !== hit.instance)
      entry.answer = { ...hit, source: entry.source as ResolvedProvider['source'] };
    return entry.answer as unknown as ResolvedProvider<S>;
  }

  /**
   * A specific config of a service type, for records that stored the config they used (a capture goes where its
   * authorization went) and for inbound webhooks that name their config. Inactive configs still resolve here;
   * deleted ones, other tenants' (when `tenantId` is given) and other service types' do not.
   */
  async byId<S extends ServiceType>(
    serviceType: S,
    configId: string,
    tenantId?: string,
  ): Promise<ResolvedProvider<S> | undefined> {
    const hit = this.#byId.get(configId);
    if (hit && (!tenantId || hit.tenantId === tenantId))
      return hit.serviceType === serviceType ? (hit as ResolvedProvider<S>) : undefined;
    const generation = this.#generation;
    const row = tenantId
      ? await store.findConfig(this.deps.db, tenantId, configId)
      : await store.findConfigById(this.deps.db, configId);
    if (!row || row.serviceType !== serviceType) return undefined;
    const current = generation === this.#generation;
    const resolved: ResolvedProvider<S> = { ...this.#instance<S>(row, current), source: 'direct' };
    if (current) this.#byId.set(configId, resolved as ResolvedProvider);
    return resolved;
  }

  /** The instance of a config row, built once per (tenant, config id, version); `keep`: cache it. */
  #instance<S extends ServiceType>(row: store.ProviderConfigRow, keep: boolean): ResolvedProvider<S> {
    const key = `${row.tenantId}|${row.id}`;
    const hit = this.#instances.get(key);
    if (hit && hit.version === row.version) return hit as ResolvedProvider<S>;
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
    const resolved = {
      source: 'direct',
      providerConfigId: row.id,
      providerKey: row.providerKey,
      serviceType: row.serviceType as S,
      tenantId: row.tenantId,
      version: row.version,
      isActive: row.isActive,
      definition: definition as DefinitionOf<S>,
      config,
      instance: definition.create(parsed, this.#providerDeps),
    } as ResolvedProvider<S>;
    if (keep) this.#instances.set(key, resolved as ResolvedProvider);
    return resolved;
  }

  /** Drops everything cached for a tenant. */
  invalidate(tenantId: string): void {
    this.#generation++;
    this.#chains.delete(tenantId);
    this.#sets.delete(tenantId);
    for (const [id, r] of this.#byId) if (r.tenantId === tenantId) this.#byId.delete(id);
    for (const key of this.#instances.keys()) if (key.startsWith(`${tenantId}|`)) this.#instances.delete(key);
  }
}
