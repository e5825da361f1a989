import { createHash, randomBytes } from 'node:crypto';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import type { Principal, Role } from '../domain/principal.js';
import type { ApiKeyRow, TenantRow } from '../tables.js';
import * as store from './store.js';

const KEY_PREFIX = 'plk_';
const AUTH_CACHE_TTL_MS = 60_000;

export const hashApiKey = (key: string): Buffer => createHash('sha256').update(key).digest();

export interface ApiKeyView {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

const keyView = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  revokedAt: r.revokedAt,
  expiresAt: r.expiresAt,
});

/**
 * Tenants and their API keys. A key is 32 random bytes, shown once; only its SHA-256 is stored (the key is
 * high-entropy, so a slow password hash would add latency without adding safety). Verified keys are cached briefly;
 * revocation clears the cache here and, through NOTIFY, in every other process.
 */
export class TenantService {
  readonly #authCache = new Map<string, { principal: Principal; expires: number }>();

  constructor(
    private readonly deps: {
      db: Db;
      audit: AuditWriter;
      keyRevoked: (hashHex: string) => Promise<void>;
    },
  ) {}

  async createTenant(
    input: { name: string; timeZone?: string },
    createdBy: string,
  ): Promise<{ tenant: TenantRow; apiKey: string }> {
    return this.deps.db.transaction(async (tx) => {
      const tenant = await store.insertTenant(tx, {
        id: uuidv7(),
        name: input.name,
        timeZone: input.timeZone ?? 'UTC',
      });
      const scope: Scope = { tenantId: tenant.id, actor: { type: 'admin', id: null } };
      const { key } = await this.#issueKey(
        tx,
        scope,
        { name: 'initial admin key', role: 'admin' },
        createdBy,
      );
      await this.deps.audit(tx, scope, {
        action: 'tenant.created',
        entityType: 'tenant',
        entityId: tenant.id,
        changes: { name: tenant.name, time_zone: tenant.timeZone },
      });
      return { tenant, apiKey: key };
    });
  }

  async getTenant(tenantId: string): Promise<TenantRow | undefined> {
    return store.findTenant(this.deps.db, tenantId);
  }

  /** The tenant's time zone: its calendar dates (business dates, posting dates) are dates there. */
  async timeZone(tenantId: string): Promise<string> {
    return (await this.getTenant(tenantId))?.timeZone ?? 'UTC';
  }

  async #issueKey(
    db: Db,
    scope: Scope,
    input: { name: string; role: Role; expiresAt?: Date },
    createdBy: string,
  ) {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const row = await store.insertApiKey(db, {
      tenantId: scope.tenantId,
      id: uuidv7(),
      name: input.name,
      role: input.role,
      prefix: key.slice(0, 12),
      keyHash: hashApiKey(key),
      createdBy,
      expiresAt: input.expiresAt ?? null,
    });
    await this.deps.audit(db, scope, {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: row.id,
      changes: {
        name: input.name,
        role: input.role,
        prefix: row.prefix,
        ...(input.expiresAt && { expires_at: input.expiresAt.toISOString() }),
      },
    });
    return { key, row };
  }

  /** A key that stops working at `expiresAt`, issued inside the caller's transaction (a console sign-in). */
  async issueExpiringKey(
    db: Db,
    scope: Scope,
    input: { name: string; role: Role; expiresAt: Date },
    createdBy: string,
  ): Promise<{ apiKey: string; view: ApiKeyView }> {
    const { key, row } = await this.#issueKey(db, scope, input, createdBy);
    return { apiKey: key, view: keyView(row) };
  }

  async createApiKey(
    scope: Scope,
    input: { name: string; role: Role },
  ): Promise<{ apiKey: string; view: ApiKeyView }> {
    const createdBy = scope.actor.id ? `api_key:${scope.actor.id}` : scope.actor.type;
    const { key, row } = await this.deps.db.transaction((tx) => this.#issueKey(tx, scope, input, createdBy));
    return { apiKey: key, view: keyView(row) };
  }

  /**
   * A new key issued by the platform admin (the way back for a tenant whose admins lost every admin key): audited
   * as the admin's. A suspended or unknown tenant is a 404.
   */
  async issueKeyAsPlatformAdmin(
    tenantId: string,
    input: { name: string; role: Role },
  ): Promise<Result<{ apiKey: string; view: ApiKeyView }>> {
    if (!isUuid(tenantId) || !(await store.findTenant(this.deps.db, tenantId)))
      return err(notFound('tenant'));
    const scope: Scope = { tenantId, actor: { type: 'admin', id: null } };
    const { key, row } = await this.deps.db.transaction((tx) =>
      this.#issueKey(tx, scope, input, 'platform_admin'),
    );
    return ok({ apiKey: key, view: keyView(row) });
  }

  async listApiKeys(scope: Scope): Promise<ApiKeyView[]> {
    return (await store.listApiKeys(this.deps.db, scope.tenantId)).map(keyView);
  }

  async revokeApiKey(scope: Scope, id: string): Promise<Result<ApiKeyView>> {
    if (!isUuid(id)) return err(notFound('API key'));
    const result = await this.deps.db
      .transaction(async (tx): Promise<Result<ApiKeyRow>> => {
        await store.lockTenant(tx, scope.tenantId);
        const row = await store.revokeApiKey(tx, scope.tenantId, id);
        if (!row) return err(notFound('API key'));
        // A tenant must not lock itself out: its last admin key cannot be revoked through the API.
        if (row.role === 'admin' && (await store.countLiveAdminKeys(tx, scope.tenantId)) === 0) {
          throw new LastAdminKey();
        }
        await this.deps.audit(tx, scope, {
          action: 'api_key.revoked',
          entityType: 'api_key',
          entityId: id,
          changes: { prefix: row.prefix },
        });
        return ok(row);
      })
      .catch((e: unknown) => {
        if (e instanceof LastAdminKey) {
          return err(
            failure('conflict', 'last_admin_key', 'the last admin key of a tenant cannot be revoked'),
          );
        }
        throw e;
      });
    if (!result.ok) return result;
    const hashHex = result.value.keyHash.toString('hex');
    this.forget(hashHex);
    await this.deps.keyRevoked(hashHex);
    return ok(keyView(result.value));
  }

  /** The principal for a presented key, or undefined. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return undefined;
    const hashHex = hashApiKey(key).toString('hex');
    const now = Date.now();
    const cached = this.#authCache.get(hashHex);
    if (cached && cached.expires > now) return cached.principal;
    const row = await store.findLiveKeyByHash(this.deps.db, Buffer.from(hashHex, 'hex'));
    if (row?.tenantStatus !== 'active') return undefined;
    const principal: Principal = {
      kind: 'api_key',
      tenantId: row.tenantId,
      apiKeyId: row.id,
      role: row.role as Role,
    };
    // An expiring key leaves the cache when it expires, not up to a TTL later.
    const expires = Math.min(now + AUTH_CACHE_TTL_MS, row.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.#authCache.set(hashHex, { principal, expires });
    return principal;
  }

  /** Drops a revoked key from this process's cache. */
  forget(hashHex: string): void {
    this.#authCache.delete(hashHex);
  }
}

class LastAdminKey extends Error {}
