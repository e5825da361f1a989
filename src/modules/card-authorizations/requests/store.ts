import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import {
  type AuthorizationHoldRow,
  type AuthorizationMessageRow,
  type AuthorizationRequestRow,
  authorizationHolds,
  authorizationMessages,
  authorizationRequests,
  type FundingOutboxRow,
  fundingOutbox,
} from '../tables.js';

/** Keyset pagination on the time-ordered id, newest first. */
export async function listRequests(
  db: Db,
  tenantId: string,
  f: {
    status?: string;
    cardId?: string;
    externalId?: string;
    provider?: string;
    limit: number;
    before?: string;
  },
): Promise<AuthorizationRequestRow[]> {
  const r = authorizationRequests;
  return db
    .select()
    .from(r)
    .where(
      and(
        eq(r.tenantId, tenantId),
        f.status ? eq(r.status, f.status) : undefined,
        f.cardId ? eq(r.cardId, f.cardId) : undefined,
        f.externalId ? eq(r.externalId, f.externalId) : undefined,
        f.provider ? eq(r.provider, f.provider) : undefined,
        f.before ? lt(r.id, f.before) : undefined,
      ),
    )
    .orderBy(desc(r.id))
    .limit(f.limit);
}

export async function findRequest(
  db: Db,
  tenantId: string,
  id: string,
): Promise<AuthorizationRequestRow | undefined> {
  const [request] = await db
    .select()
    .from(authorizationRequests)
    .where(and(eq(authorizationRequests.tenantId, tenantId), eq(authorizationRequests.id, id)));
  return request;
}

/** A request's messages (in arrival order), holds and funding rows. */
export async function requestParts(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{
  messages: AuthorizationMessageRow[];
  holds: AuthorizationHoldRow[];
  funding: FundingOutboxRow[];
}> {
  const [messages, holds, funding] = await Promise.all([
    db
      .select()
      .from(authorizationMessages)
      .where(and(eq(authorizationMessages.tenantId, tenantId), eq(authorizationMessages.requestId, id)))
      .orderBy(asc(authorizationMessages.id)),
    db
      .select()
      .from(authorizationHolds)
      .where(and(eq(authorizationHolds.tenantId, tenantId), eq(authorizationHolds.requestId, id))),
    db
      .select()
      .from(fundingOutbox)
      .where(and(eq(fundingOutbox.tenantId, tenantId), eq(fundingOutbox.requestId, id))),
  ]);
  return { messages, holds, funding };
}
