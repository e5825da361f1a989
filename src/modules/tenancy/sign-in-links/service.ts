import { createHash, randomBytes } from 'node:crypto';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { uuidv7 } from '../../../kernel/ids.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { Role } from '../domain/principal.js';
import type { TenantService } from '../tenants/service.js';
import * as store from './store.js';

const TOKEN_PREFIX = 'pls_';
/** A link is for the person it was just printed for: it lives five minutes. */
export const LINK_TTL_MS = 5 * 60_000;
/** The key a link issues lasts a working day; signing in again issues another. */
export const SESSION_TTL_MS = 8 * 3600_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export interface ConsoleSession {
  apiKey: string;
  role: Role;
  tenantId: string;
  expiresAt: Date;
}

/**
 * Single-use, short-lived links that sign a browser in to the console without a key in the URL it keeps: the
 * console exchanges the link's token (in the URL fragment, never sent to a server) for an expiring API key of the
 * link's role, which it holds in session storage.
 */
export class SignInLinkService {
  constructor(
    private readonly deps: { db: Db; audit: AuditWriter; tenants: TenantService; now?: () => Date },
  ) {}

  async create(scope: Scope, role: Role): Promise<{ token: string; expiresAt: Date }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.deps.now?.() ?? new Date();
    const createdBy = scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type;
    const row = await this.deps.db.transaction(async (tx) => {
      const link = await store.insertLink(tx, {
        tenantId: scope.tenantId,
        id: uuidv7(),
        tokenHash: hashToken(token),
        role,
        createdBy,
        expiresAt: new Date(now.getTime() + LINK_TTL_MS),
      });
      await this.deps.audit(tx, scope, {
        action: 'console_sign_in_link.created',
        entityType: 'console_sign_in_link',
        entityId: link.id,
        changes: { role, expires_at: link.expiresAt.toISOString() },
      });
      return link;
    });
    return { token, expiresAt: row.expiresAt };
  }

  /** Uses a link once: an unknown, used or expired token is refused, and no key is issued. */
  async redeem(token: string): Promise<Result<ConsoleSession>> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return err(invalidLink);
    const now = this.deps.now?.() ?? new Date();
    const session = await this.deps.db.transaction(async (tx) => {
      const link = await store.useLink(tx, hashToken(token));
      if (!link) return undefined;
      const scope: Scope = {
        tenantId: link.tenantId,
        actor: { type: 'system', id: `console_sign_in_link:${link.id}` },
      };
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      const role = link.role as Role;
      const { apiKey } = await this.deps.tenants.issueExpiringKey(
        tx,
        scope,
        { name: `console sign-in ${now.toISOString().slice(0, 16)}`, role, expiresAt },
        `console_sign_in_link:${link.id}`,
      );
      return { apiKey, role, tenantId: link.tenantId, expiresAt };
    });
    return session ? ok(session) : err(invalidLink);
  }
}

const invalidLink = failure(
  'unauthorized',
  'sign_in_link_invalid',
  'this sign-in link is unknown, already used or expired: ask for a new one',
);
