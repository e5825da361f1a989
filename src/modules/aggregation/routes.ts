import type { FastifyPluginAsync } from 'fastify';
import type { Aggregation } from './module.js';
import { connectionRoutes } from './routes/connections.js';
import { dataRoutes } from './routes/data.js';
import { importRoutes } from './routes/imports.js';
import { oauthRoutes } from './routes/oauth.js';

/** Every HTTP route of the aggregation module. */
export const aggregationRoutes: FastifyPluginAsync<{
  aggregation: Aggregation;
  uploadLimitBytes: number;
}> = async (app, opts) => {
  await app.register(dataRoutes, opts);
  await app.register(connectionRoutes, opts);
  await app.register(oauthRoutes, opts);
  await app.register(importRoutes, opts);
};
