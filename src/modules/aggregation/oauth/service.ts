import { createHash, randomBytes } from 'node:crypto';
import type { AuditWriter } from '../../../kernel/audit.js';
import { SYSTEM_ACTOR } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import type { ProviderError } from '../../../kernel/errors.js';
import type { Logger } from '../../../kernel/logging.js';
import { err, type Failure, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import type { KeyRing } from '../../../providers/index.js';
import { sealCredentials } from '../connections/credentials.js';
import { type ProviderDeps, providerById } from '../connections/provider-choice.js';
import * as connectionStore from '../connections/store.js';
import type { OAuthFinancialProvider } from '../domain/provider.js';
import type { ConnectionRow } from '../tables.js';
import * as store from './store.js';

/**
 * The OAuth authorization-code flow around the provider's own calls. Starting it stores a random `state` (its
 * SHA-256 only), which names the tenant, the connection (and so the customer and the provider config) and expires
 * after 10 minutes. The callback spends it in one atomic UPDATE: a missing, unknown, expired or already-used
 * state, or one issued for another provider, is a 400 and nothing is exchanged or stored.
 */

export const STATE_TTL_MS = 10 * 60_000;

export const hashState = (state: string): Buffer => createHash('sha256').update(state, 'utf8').digest();

export const callbackPath = (providerKey: string) => `/v1/oauth/${providerKey}/callback`;

export async function startAuthorization(
  db: Db,
  opts: {
    connection: ConnectionRow;
    provider: OAuthFinancialProvider;
    redirectUri: string;
    returnUrl: string | null;
    now: Date;
  },
): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await store.insertState(db, {
    tenantId: opts.connection.tenantId,
    stateHash: hashState(state),
    connectionId: opts.connection.id,
    providerKey: opts.connection.providerKey,
    redirectUri: opts.redirectUri,
    returnUrl: opts.returnUrl,
    expiresAt: new Date(opts.now.getTime() + STATE_TTL_MS),
  });
  return opts.provider.authorizationUrl(state, opts.redirectUri);
}

export interface CallbackQuery {
  state?: string;
  code?: string;
  /** RFC 6749 §4.1.2.1: the user refused, or the provider could not ask. */
  error?: string;
}

export interface CallbackOutcome {
  connection: ConnectionRow;
  /** Where the tenant asked to send the browser afterwards, if anywhere. */
  returnUrl: string | null;
  /** Set when the connection failed after a valid state (denied consent, a refused code). */
  failure: Failure | null;
}

const badState = (message: string) => err(failure('invalid', 'invalid_oauth_state', message));

const STATE_PROBLEMS = {
  unknown: 'state was not issued for this provider (or was tampered with)',
  used: 'state was already used; start the authorization again',
  expired: 'state expired (states live 10 minutes); start the authorization again',
} as const;

export interface CallbackDeps extends ProviderDeps {
  keyRing: KeyRing;
  audit: AuditWriter;
  logger: Logger;
  now: () => Date;
}

function exchangeFailure(e: ProviderError): Failure {
  if (e.kind === 'authentication')
    return failure('invalid', 'authorization_code_rejected', 'the provider refused the authorization code');
  if (e.kind === 'configuration')
    return failure(
      'unprocessable',
      'provider_misconfigured',
      'the provider refused the app credentials: check the provider config',
    );
  return failure('unavailable', 'provider_unavailable', `the provider could not be reached (${e.kind})`, {
    extra: e.details.retryAfter ? { retry_after_seconds: e.details.retryAfter } : {},
  });
}

/** Handles the browser's return to `GET /v1/oauth/{provider}/callback`. */
export async function completeAuthorization(
  deps: CallbackDeps,
  providerKey: string,
  query: CallbackQuery,
): Promise<Result<CallbackOutcome>> {
  if (!query.state) return badState('state is missing');
  const now = deps.now();
  const hash = hashState(query.state);
  const state = await store.consumeState(deps.db, hash, providerKey, now);
  if (!state) return badState(STATE_PROBLEMS[await store.stateProblem(deps.db, hash, providerKey)]);
  const connection = await connectionStore.findConnection(deps.db, state.tenantId, state.connectionId);
  if (connection?.status !== 'pending')
    return err(
      failure('conflict', 'connection_not_pending', 'the connection is no longer waiting for consent'),
    );
  const scope = { tenantId: connection.tenantId, actor: SYSTEM_ACTOR };
  const fail = async (f: Failure): Promise<Result<CallbackOutcome>> => {
    const failed = await deps.db.transaction(async (tx) => {
      const row = await connectionStore.moveConnection(
        tx,
        connection.tenantId,
        connection.id,
        'pending',
        'failed',
        {
          statusReason: f.message,
        },
      );
      await deps.audit(tx, scope, {
        action: 'financial_connection.failed',
        entityType: 'financial_connection',
        entityId: connection.id,
        changes: { status: 'failed', code: f.code },
      });
      return row;
    });
    return ok({ connection: failed ?? connection, returnUrl: state.returnUrl, failure: f });
  };
  if (query.error)
    return fail(
      failure('invalid', 'authorization_denied', `the provider reports ${query.error.slice(0, 64)}`),
    );
  if (!query.code)
    return fail(failure('invalid', 'missing_code', 'the callback carries no authorization code'));
  const handle = await providerById(deps, connection.tenantId, connection.providerConfigId);
  if (!handle.ok) return fail(handle.error);
  const provider = handle.value.resolved.instance as OAuthFinancialProvider;
  const grant = await provider.exchangeCode(query.code, state.redirectUri);
  if (!grant.ok) {
    deps.logger.warn(
      {
        connectionId: connection.id,
        provider: providerKey,
        kind: grant.error.kind,
        status: grant.error.details.status,
      },
      'authorization code exchange failed',
    );
    return fail(exchangeFailure(grant.error));
  }
  const active = await deps.db.transaction(async (tx) => {
    const row = await connectionStore.moveConnection(
      tx,
      connection.tenantId,
      connection.id,
      'pending',
      'active',
      {
        credentials: sealCredentials(deps.keyRing, connection, grant.value),
        connectedAt: now,
        nextSyncAt: now,
      },
    );
    await deps.audit(tx, scope, {
      action: 'financial_connection.authorized',
      entityType: 'financial_connection',
      entityId: connection.id,
      changes: { status: 'active' },
    });
    return row;
  });
  if (!active)
    return err(
      failure('conflict', 'connection_not_pending', 'the connection is no longer waiting for consent'),
    );
  return ok({ connection: active, returnUrl: state.returnUrl, failure: null });
}

/** `GET /v1/oauth/{provider}/callback`, for the providers whose auth type is OAuth. */
export class OAuthService {
  constructor(private readonly deps: CallbackDeps) {}

  /** The browser's return from an OAuth provider's consent page (a provider that is not OAuth is a 404). */
  async completeAuthorization(providerKey: string, query: CallbackQuery): Promise<Result<CallbackOutcome>> {
    const def = this.deps.catalog.get('financial_data', providerKey);
    if (def?.metadata.authType !== 'oauth') return err(notFound('OAuth provider'));
    return completeAuthorization(this.deps, providerKey, query);
  }
}
