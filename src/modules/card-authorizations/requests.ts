import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Scope } from '../../kernel/audit.js';
import type { Db } from '../../kernel/db.js';
import { isUuid } from '../../kernel/ids.js';
import { err, notFound, ok, type Result } from '../../kernel/result.js';
import {
  type AuthorizationHoldRow,
  type AuthorizationMessageRow,
  type AuthorizationRequestRow,
  authorizationHolds,
  authorizationMessages,
  authorizationRequests,
  type FundingOutboxRow,
  fundingOutbox,
} from './store.js';

/** The seed's AuthorizationRequest: one per (provider, external id), with its status and amounts. */
export type AuthorizationRequest = AuthorizationRequestRow;

export interface AuthorizationRequestDetail {
  request: AuthorizationRequest;
  /** Every message received for it, in arrival order, with the decision stored for each. */
  messages: AuthorizationMessageRow[];
  /** What each line of credit holds for it. */
  holds: AuthorizationHoldRow[];
  /** Draws and credits on loans its postings queued. */
  funding: FundingOutboxRow[];
}

export interface RequestFilter {
  status?: string;
  cardId?: string;
  externalId?: string;
  provider?: string;
  limit: number;
  before?: string;
}

/** Read side of the request log the decision engine writes. */
export class AuthorizationRequestService {
  constructor(private readonly deps: { db: Db }) {}

  async listAuthorizationRequests(scope: Scope, f: RequestFilter): Promise<AuthorizationRequest[]> {
    const r = authorizationRequests;
    return this.deps.db
      .select()
      .from(r)
      .where(
        and(
          eq(r.tenantId, scope.tenantId),
          f.status ? eq(r.status, f.status) : undefined,
          f.cardId ? eq(r.cardId, f.cardId) : undefined,
          f.externalId ? eq(r.externalId, f.externalId) : undefined,
          f.provider ? eq(r.provider, f.provider) : undefined,
          f.before && isUuid(f.before) ? lt(r.id, f.before) : undefined,
        ),
      )
      .orderBy(desc(r.id))
      .limit(f.limit);
  }

  async getAuthorizationRequest(scope: Scope, id: string): Promise<Result<AuthorizationRequestDetail>> {
    if (!isUuid(id)) return err(notFound('authorization request'));
    const db = this.deps.db;
    const [request] = await db
      .select()
      .from(authorizationRequests)
      .where(and(eq(authorizationRequests.tenantId, scope.tenantId), eq(authorizationRequests.id, id)));
    if (!request) return err(notFound('authorization request'));
    const [messages, holds, funding] = await Promise.all([
      db
        .select()
        .from(authorizationMessages)
        .where(
          and(eq(authorizationMessages.tenantId, scope.tenantId), eq(authorizationMessages.requestId, id)),
        )
        .orderBy(asc(authorizationMessages.id)),
      db
        .select()
        .from(authorizationHolds)
        .where(and(eq(authorizationHolds.tenantId, scope.tenantId), eq(authorizationHolds.requestId, id))),
      db
        .select()
        .from(fundingOutbox)
        .where(and(eq(fundingOutbox.tenantId, scope.tenantId), eq(fundingOutbox.requestId, id))),
    ]);
    return ok({ request, messages, holds, funding });
  }
}
