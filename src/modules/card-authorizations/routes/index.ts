import type { FastifyPluginAsync } from 'fastify';
import type { CardAuthorizations } from '../module.js';
import { cardRoutes } from './cards.js';
import { catalogRoutes } from './catalog.js';
import { relayRoutes } from './relay.js';

/** Everything under /v1/card-authorizations: management routes and the relay endpoint. */
export const cardAuthorizationRoutes: FastifyPluginAsync<{
  cards: CardAuthorizations;
  now: () => Date;
}> = async (app, { cards: m, now }) => {
  await app.register(catalogRoutes, { categories: m.categories, lines: m.lines });
  await app.register(cardRoutes, { cards: m.cards, requests: m.requests });
  await app.register(relayRoutes, { relays: m.relays, engine: m.engine, now });
};
