import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { instant, pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { ownerTypeSchema } from '../domain/owners.js';
import { CARD_STATUSES, type Card, type CardService } from './service.js';

const tags = ['card authorizations'];
const idParams = z.object({ id: z.string() });

export const cardJson = (c: Card) => ({
  id: c.id,
  card_id: c.cardId,
  owner_type: c.ownerType,
  owner_ref: c.ownerRef,
  status: c.status,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

const cardOut = z.object({
  id: z.string(),
  card_id: z.string(),
  owner_type: z.string(),
  owner_ref: z.string(),
  status: z.enum(CARD_STATUSES),
  created_at: instant,
  updated_at: instant,
});

/** The card registry, under /v1/card-authorizations. */
export const cardRoutes: FastifyPluginAsyncZod<{ cards: CardService }> = async (app, { cards }) => {
  app.post(
    '/cards',
    {
      schema: {
        tags,
        summary: 'Register an issuer’s card and its owner',
        body: z.strictObject({
          card_id: z.string().min(1).max(255),
          owner_type: ownerTypeSchema,
          owner_ref: z.uuid(),
          status: z.enum(CARD_STATUSES).optional(),
        }),
        response: { 201: cardOut },
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
    '/cards',
    {
      schema: {
        tags,
        summary: 'List cards, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          card_id: z.string().optional(),
          owner_type: ownerTypeSchema.optional(),
          owner_ref: z.string().optional(),
          status: z.enum(CARD_STATUSES).optional(),
        }),
        response: { 200: pageOf(cardOut) },
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
      return pageJson(rows, q.limit, cardJson);
    },
  );

  app.get(
    '/cards/:id',
    { schema: { tags, summary: 'Get a card', params: idParams, response: { 200: cardOut } } },
    async (req) => cardJson(unwrap(await cards.getCard(scopeOf(req), req.params.id))),
  );

  app.patch(
    '/cards/:id',
    {
      schema: {
        tags,
        summary: 'Freeze, unfreeze or close a card (closing is final)',
        params: idParams,
        body: z.strictObject({ status: z.enum(CARD_STATUSES) }),
        response: { 200: cardOut },
      },
    },
    async (req) => cardJson(unwrap(await cards.setCardStatus(scopeOf(req), req.params.id, req.body.status))),
  );
};
