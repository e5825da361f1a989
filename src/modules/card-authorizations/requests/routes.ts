import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { anyObject, instant, minor, pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import type {
  AuthorizationRequest,
  AuthorizationRequestDetail,
  AuthorizationRequestService,
} from './service.js';

const tags = ['card authorizations'];
const idParams = z.object({ id: z.string() });

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const requestJson = (r: AuthorizationRequest) => ({
  id: r.id,
  provider: r.provider,
  external_id: r.externalId,
  provider_config_id: r.providerConfigId,
  card_id: r.cardId,
  owner_type: r.ownerType,
  owner_ref: r.ownerRef,
  currency: r.currency,
  status: r.status,
  decline_reason: r.declineReason,
  amount_authorized: r.amountAuthorized,
  amount_held: r.amountHeld,
  amount_cleared: r.amountCleared,
  amount_released: r.amountReleased,
  amount_refunded: r.amountRefunded,
  amount_forced: r.amountForced,
  force_posted: r.forcePosted,
  expense_category_ids: r.expenseCategoryIds,
  merchant: r.merchant,
  metadata: r.metadata,
  expires_at: r.expiresAt.toISOString(),
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

export const requestDetailJson = (d: AuthorizationRequestDetail) => ({
  ...requestJson(d.request),
  messages: d.messages.map((m) => ({
    id: m.id,
    message_id: m.messageId,
    kind: m.kind,
    amount: m.amount,
    currency: m.currency,
    approved: m.approved,
    reason_code: m.reasonCode,
    approved_amount: m.approvedAmount,
    answered_by_fallback: m.answeredByFallback,
    engine_reason: m.engineReason,
    detail: m.detail,
    received_at: m.receivedAt.toISOString(),
  })),
  holds: d.holds.map((h) => ({
    line_of_credit_id: h.lineOfCreditId,
    held: h.held,
    reserved: h.reserved,
    cleared: h.cleared,
    released: h.released,
    refunded: h.refunded,
    forced: h.forced,
  })),
  funding: d.funding.map((f) => ({
    loan_id: f.loanId,
    kind: f.kind,
    amount: f.amount,
    currency: f.currency,
    reference: f.reference,
    status: f.status,
    attempts: f.attempts,
    last_error: f.lastError,
    processed_at: iso(f.processedAt),
  })),
});

const requestOut = z.object({
  id: z.string(),
  provider: z.string(),
  external_id: z.string(),
  provider_config_id: z.string().nullable(),
  card_id: z.string(),
  owner_type: z.string().nullable(),
  owner_ref: z.string().nullable(),
  currency: z.string(),
  status: z.string(),
  decline_reason: z.string().nullable(),
  amount_authorized: minor,
  amount_held: minor,
  amount_cleared: minor,
  amount_released: minor,
  amount_refunded: minor,
  amount_forced: minor,
  force_posted: z.boolean(),
  expense_category_ids: z.array(z.string()),
  merchant: anyObject,
  metadata: anyObject,
  expires_at: instant,
  created_at: instant,
  updated_at: instant,
});

const requestDetailOut = requestOut.extend({
  messages: z.array(
    z.object({
      id: z.string(),
      message_id: z.string(),
      kind: z.string(),
      amount: minor,
      currency: z.string().nullable(),
      approved: z.boolean(),
      reason_code: z.string(),
      approved_amount: minor,
      answered_by_fallback: z.boolean(),
      engine_reason: z.string().nullable(),
      detail: z.string().nullable(),
      received_at: instant,
    }),
  ),
  holds: z.array(
    z.object({
      line_of_credit_id: z.string(),
      held: minor,
      reserved: minor,
      cleared: minor,
      released: minor,
      refunded: minor,
      forced: minor,
    }),
  ),
  funding: z.array(
    z.object({
      loan_id: z.string(),
      kind: z.string(),
      amount: minor,
      currency: z.string(),
      reference: z.string(),
      status: z.string(),
      attempts: z.number().int(),
      last_error: z.string().nullable(),
      processed_at: instant.nullable(),
    }),
  ),
});

/** The authorization requests the decision engine recorded, under /v1/card-authorizations. */
export const requestRoutes: FastifyPluginAsyncZod<{ requests: AuthorizationRequestService }> = async (
  app,
  { requests },
) => {
  app.get(
    '/authorization-requests',
    {
      schema: {
        tags,
        summary: 'List authorization requests, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          status: z.string().optional(),
          card_id: z.string().optional(),
          external_id: z.string().optional(),
          provider: z.string().optional(),
        }),
        response: { 200: pageOf(requestOut) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await requests.listAuthorizationRequests(scopeOf(req), {
        status: q.status,
        cardId: q.card_id,
        externalId: q.external_id,
        provider: q.provider,
        limit: q.limit,
        before: q.before,
      });
      return pageJson(rows, q.limit, requestJson);
    },
  );

  app.get(
    '/authorization-requests/:id',
    {
      schema: {
        tags,
        summary: 'Get an authorization request with its messages, holds and funding',
        params: idParams,
        response: { 200: requestDetailOut },
      },
    },
    async (req) =>
      requestDetailJson(unwrap(await requests.getAuthorizationRequest(scopeOf(req), req.params.id))),
  );
};
