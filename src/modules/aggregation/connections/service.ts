import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import type { Logger } from '../../../kernel/logging.js';
import { err, type Failure, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import { fieldIssues } from '../../../kernel/validation.js';
import type { KeyRing } from '../../../providers/index.js';
import type { CustomerService } from '../../tenancy/index.js';
import { type ConnectionStatus, transition } from '../domain/connection-status.js';
import type {
  ApiKeyFinancialProvider,
  FinancialProviderDefinition,
  OAuthFinancialProvider,
} from '../domain/provider.js';
import { callbackPath, startAuthorization } from '../oauth/service.js';
import type { ConnectionRow, connections } from '../tables.js';
import { sealCredentials } from './credentials.js';
import {
  type FinancialProviderHandle,
  type ProviderDeps,
  providerById,
  providerForNewConnection,
} from './provider-choice.js';
import * as store from './store.js';

type NewConnection = typeof connections.$inferInsert;

/**
 * Connections: a customer's link to one provider account set. OAuth providers start `pending` and return an
 * authorization URL; API-key providers check the key pair with the provider before anything is stored. File
 * imports get their connection from `POST /v1/imports`. Credentials are sealed on the row and never leave it.
 */

export type Connection = Omit<ConnectionRow, 'credentials'>;

export const connectionView = ({ credentials: _, ...rest }: ConnectionRow): Connection => rest;

export interface ConnectionInput {
  customerId: string;
  provider: string;
  providerConfigId?: string;
  /** API-key providers: the customer's key pair, in the provider's own shape. */
  credentials?: Record<string, unknown>;
  /** OAuth providers: where the callback sends the browser afterwards. */
  returnUrl?: string;
}

export interface ConnectionStarted {
  connection: Connection;
  /** OAuth: send the customer here to consent. */
  authorizationUrl: string | null;
}

export interface ConnectionServiceDeps extends ProviderDeps {
  keyRing: KeyRing;
  customers: CustomerService;
  audit: AuditWriter;
  logger: Logger;
  now: () => Date;
  /** The externally visible base URL, for default OAuth redirect URIs. */
  publicUrl: string;
}

const rejectedCredentials = (f: Failure, connectionId: string): Failure =>
  failure('unprocessable', f.code, f.message, {
    fields: [{ path: 'credentials', message: f.message }],
    extra: { ...f.extra, connection_id: connectionId },
  });

export class ConnectionService {
  constructor(private readonly deps: ConnectionServiceDeps) {}

  /** The registered financial-data providers, with their registry metadata. */
  providers(): FinancialProviderDefinition[] {
    return this.deps.catalog.registry('financial_data')?.list() ?? [];
  }

  async get(scope: Scope, id: string): Promise<Result<ConnectionRow>> {
    const row = isUuid(id) ? await store.findConnection(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('connection'));
  }

  async list(scope: Scope, customerId?: string): Promise<Result<ConnectionRow[]>> {
    if (customerId) {
      const customer = await this.deps.customers.get(scope, customerId);
      if (!customer.ok) return customer;
    }
    return ok(await store.listConnections(this.deps.db, scope.tenantId, customerId));
  }

  async create(scope: Scope, input: ConnectionInput): Promise<Result<ConnectionStarted>> {
    const customer = await this.deps.customers.get(scope, input.customerId);
    if (!customer.ok) return customer;
    const handle = await providerForNewConnection(
      this.deps,
      scope.tenantId,
      input.provider,
      input.providerConfigId,
    );
    if (!handle.ok) return handle;
    const authType = handle.value.definition.metadata.authType;
    if (authType === 'file_import')
      return err(
        failure('unprocessable', 'use_imports', `${input.provider} takes files: POST /v1/imports`, {
          fields: [{ path: 'provider', message: 'is a file-import provider' }],
        }),
      );
    if (authType !== 'oauth' && authType !== 'api_key')
      return err(
        failure('unprocessable', 'unsupported_auth_type', `${authType} connections are not supported`),
      );
    if (authType === 'oauth' && input.credentials)
      return err(
        failure('unprocessable', 'unexpected_credentials', 'OAuth providers take no credentials', {
          fields: [{ path: 'credentials', message: 'not accepted for OAuth providers' }],
        }),
      );
    const row = {
      tenantId: scope.tenantId,
      id: uuidv7(),
      customerId: customer.value.id,
      providerKey: input.provider,
      authType,
      providerConfigId: handle.value.resolved.providerConfigId,
    };
    if (authType === 'oauth')
      return this.#startOAuth(
        scope,
        handle.value,
        { ...row, status: 'pending' },
        input.returnUrl ?? null,
        null,
      );
    return this.#connectWithKey(scope, handle.value, { ...row, status: 'pending' }, input.credentials, null);
  }

  /** A fresh consent (OAuth) or a new key pair (API key) for an expired, revoked, failed or pending connection. */
  async reauthorize(
    scope: Scope,
    id: string,
    input: { credentials?: Record<string, unknown>; returnUrl?: string },
  ): Promise<Result<ConnectionStarted>> {
    const current = await this.get(scope, id);
    if (!current.ok) return current;
    const c = current.value;
    const from = c.status as ConnectionStatus;
    if (from !== 'pending') {
      const moved = transition(from, 'pending');
      if (!moved.ok) return moved;
    }
    const handle = await providerById(this.deps, scope.tenantId, c.providerConfigId);
    if (!handle.ok) return handle;
    if (c.authType === 'oauth')
      return this.#startOAuth(scope, handle.value, c, input.returnUrl ?? null, from);
    if (c.authType === 'api_key')
      return this.#connectWithKey(scope, handle.value, c, input.credentials, from);
    return err(
      failure('unprocessable', 'not_reauthorizable', `${c.authType} connections need no authorization`),
    );
  }

  async disconnect(scope: Scope, id: string): Promise<Result<Connection>> {
    const current = await this.get(scope, id);
    if (!current.ok) return current;
    const from = current.value.status as ConnectionStatus;
    const moved = transition(from, 'disconnected');
    if (!moved.ok) return moved;
    return this.deps.db.transaction(async (tx) => {
      // Credentials are erased; accounts and transactions stay, as the history underwriting relied on.
      const row = await store.moveConnection(tx, scope.tenantId, id, from, 'disconnected', {
        credentials: null,
        nextSyncAt: null,
      });
      if (!row)
        return err(failure('conflict', 'connection_changed', 'the connection changed meanwhile; retry'));
      await this.#audit(tx, scope, row.id, 'financial_connection.disconnected', { status: 'disconnected' });
      return ok(connectionView(row));
    });
  }

  async #startOAuth(
    scope: Scope,
    handle: FinancialProviderHandle,
    row: NewConnection,
    returnUrl: string | null,
    from: ConnectionStatus | null,
  ): Promise<Result<ConnectionStarted>> {
    const provider = handle.resolved.instance as OAuthFinancialProvider;
    const configured = handle.resolved.config.redirect_uri;
    const redirectUri =
      typeof configured === 'string' ? configured : `${this.deps.publicUrl}${callbackPath(row.providerKey)}`;
    return this.deps.db.transaction(async (tx) => {
      const connection =
        from === null
          ? await store.insertConnection(tx, row)
          : from === 'pending'
            ? (row as ConnectionRow)
            : await store.moveConnection(tx, scope.tenantId, row.id!, from, 'pending');
      if (!connection)
        return err(failure('conflict', 'connection_changed', 'the connection changed meanwhile; retry'));
      const authorizationUrl = await startAuthorization(tx, {
        connection,
        provider,
        redirectUri,
        returnUrl,
        now: this.deps.now(),
      });
      await this.#audit(tx, scope, connection.id, 'financial_connection.authorization_started', {
        provider: connection.providerKey,
        status: 'pending',
      });
      return ok({ connection: connectionView(connection), authorizationUrl });
    });
  }

  async #connectWithKey(
    scope: Scope,
    handle: FinancialProviderHandle,
    row: NewConnection,
    credentials: Record<string, unknown> | undefined,
    from: ConnectionStatus | null,
  ): Promise<Result<ConnectionStarted>> {
    const provider = handle.resolved.instance as ApiKeyFinancialProvider;
    const parsed = provider.credentialsSchema.safeParse(credentials ?? {});
    if (!parsed.success)
      return err(
        failure(
          'unprocessable',
          'invalid_credentials',
          `credentials do not match what ${row.providerKey} needs`,
          {
            fields: fieldIssues(parsed.error, 'credentials'),
          },
        ),
      );
    const checked = await provider.validateCredentials(parsed.data);
    if (!checked.ok && !('code' in checked.error))
      return err(
        failure(
          'unavailable',
          'provider_unavailable',
          `${row.providerKey} could not check the credentials now`,
          {
            extra: checked.error.details.retryAfter
              ? { retry_after_seconds: checked.error.details.retryAfter }
              : {},
          },
        ),
      );
    const now = this.deps.now();
    const reason = checked.ok ? null : (checked.error as Failure);
    const status: ConnectionStatus = reason ? 'failed' : 'active';
    const changes = reason
      ? { statusReason: reason.message, credentials: null }
      : {
          credentials: sealCredentials(this.deps.keyRing, row as ConnectionRow, parsed.data),
          connectedAt: now,
          nextSyncAt: now,
        };
    const saved = await this.deps.db.transaction(async (tx) => {
      let connection: ConnectionRow | undefined;
      if (from === null) connection = await store.insertConnection(tx, { ...row, status, ...changes });
      else {
        // Through pending, so that every step is a transition the domain allows.
        const pending =
          from === 'pending' || (await store.moveConnection(tx, scope.tenantId, row.id!, from, 'pending'));
        if (pending)
          connection = await store.moveConnection(tx, scope.tenantId, row.id!, 'pending', status, changes);
      }
      if (connection)
        await this.#audit(
          tx,
          scope,
          connection.id,
          `financial_connection.${reason ? 'failed' : 'connected'}`,
          {
            provider: connection.providerKey,
            status,
          },
        );
      return connection;
    });
    if (!saved)
      return err(failure('conflict', 'connection_changed', 'the connection changed meanwhile; retry'));
    if (reason) return err(rejectedCredentials(reason, saved.id));
    return ok({ connection: connectionView(saved), authorizationUrl: null });
  }

  #audit(db: Db, scope: Scope, id: string, action: string, changes: Record<string, unknown>) {
    return this.deps.audit(db, scope, { action, entityType: 'financial_connection', entityId: id, changes });
  }
}
