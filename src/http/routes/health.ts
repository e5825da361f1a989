import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../kernel/db.js';
import { problemOf, sendProblem } from '../errors.js';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));

  app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    try {
      await db.execute(sql`SELECT 1`);
      return { status: 'ready', database: 'ok' };
    } catch {
      return sendProblem(
        reply,
        req,
        problemOf({
          kind: 'unavailable',
          code: 'database_unavailable',
          message: 'the database does not answer',
        }),
      );
    }
  });
};
