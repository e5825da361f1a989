import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid } from '../../../kernel/ids.js';
import { err, notFound, ok, type Result } from '../../../kernel/result.js';
import type {
  AuthorizationHoldRow,
  AuthorizationMessageRow,
  AuthorizationRequestRow,
  FundingOutboxRow,
} from '../tables.js';
import * as store from './store.js';

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
    return store.listRequests(this.deps.db, scope.tenantId, {
      ...f,
      before: f.before && isUuid(f.before) ? f.before : undefined,
    });
  }

  async getAuthorizationRequest(scope: Scope, id: string): Promise<Result<AuthorizationRequestDetail>> {
    const request = isUuid(id) ? await store.findRequest(this.deps.db, scope.tenantId, id) : undefined;
    if (!request) return err(notFound('authorization request'));
    return ok({ request, ...(await store.requestParts(this.deps.db, scope.tenantId, id)) });
  }
}
