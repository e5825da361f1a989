import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { CARD_STATUSES, type CardService } from '../cards.js';
import type { AuthorizationRequestService } from '../requests.js';
import { BASE, idParams, listJson, ownerType, page, tags } from './common.js';
import { cardJson, requestDetailJson, requestJson } from './json.js';

/** The card registry, and the authorization requests the engine recorded. */
export const cardRoutes: FastifyPluginAsyncZod<{
  cards: CardService;
  requests: AuthorizationRequestService;
}> = async (app, { cards, requests }) => {
  app.post(
    `${BASE}/cards`,
    {
      schema: {
        tags,
        summary: 'Register an issuer’s card and its owner',
        body: z.strictObject({
          card_id: z.string().min(1).max(255),
          owner_type: ownerType,
          owner_ref: z.uuid(),
          status: z.enum(CARD_STATUSES).optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const card = await cards.registerCard(scopeOf(req), {
        cardId: b.card_id,
        ownerType: b.owner_type,
        ownerRef: b.owner_ref,
        status: b.status,
      });
      return reply.code(201).send(cardJson(unwrap(card)));
    },
  );

  app.get(
    `${BASE}/cards`,
    {
      schema: {
        tags,
        summary: 'List cards, newest first',
        querystring: z.strictObject({
          ...page,
          card_id: z.string().optional(),
          owner_type: ownerType.optional(),
          owner_ref: z.string().optional(),
          status: z.enum(CARD_STATUSES).optional(),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await cards.listCards(scopeOf(req), {
        cardId: q.card_id,
        ownerType: q.owner_type,
        ownerRef: q.owner_ref,
        status: q.status,
        limit: q.limit,
        before: q.before,
      });
      return listJson(rows, q.limit, cardJson);
    },
  );

  app.get(`${BASE}/cards/:id`, { schema: { tags, summary: 'Get a card', params: idParams } }, async (req) =>
    cardJson(unwrap(await cards.getCard(scopeOf(req), req.params.id))),
  );

  app.patch(
    `${BASE}/cards/:id`,
    {
      schema: {
        tags,
        summary: 'Freeze, unfreeze or close a card (closing is final)',
        params: idParams,
        body: z.strictObject({ status: z.enum(CARD_STATUSES) }),
      },
    },
    async (req) => cardJson(unwrap(await cards.setCardStatus(scopeOf(req), req.params.id, req.body.status))),
  );

  app.get(
    `${BASE}/authorization-requests`,
    {
      schema: {
        tags,
        summary: 'List authorization requests, newest first',
        querystring: z.strictObject({
          ...page,
          status: z.string().optional(),
          card_id: z.string().optional(),
          external_id: z.string().optional(),
          provider: z.string().optional(),
        }),
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
      return listJson(rows, q.limit, requestJson);
    },
  );

  app.get(
    `${BASE}/authorization-requests/:id`,
    {
      schema: {
        tags,
        summary: 'Get an authorization request with its messages, holds and funding',
        params: idParams,
      },
    },
    async (req) =>
      requestDetailJson(unwrap(await requests.getAuthorizationRequest(scopeOf(req), req.params.id))),
  );
};
