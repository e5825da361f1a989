import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unwrap } from '../../../kernel/result.js';
import { type CustomerService, scopeOf } from '../../tenancy/index.js';
import type { PreferenceService } from './service.js';

const params = z.object({ id: z.string() });

export const preferenceRoutes: FastifyPluginAsyncZod<{
  preferences: PreferenceService;
  customers: CustomerService;
}> = async (app, { preferences, customers }) => {
  app.get(
    '/v1/customers/:id/contact-preferences',
    {
      schema: { tags: ['communications'], summary: 'Which channels a customer may be contacted on', params },
    },
    async (req) => {
      const scope = scopeOf(req);
      const customer = unwrap(await customers.get(scope, req.params.id));
      return preferences.get(scope.tenantId, customer.id);
    },
  );

  app.put(
    '/v1/customers/:id/contact-preferences',
    {
      schema: {
        tags: ['communications'],
        summary: 'Set which channels a customer may be contacted on',
        params,
        body: z
          .strictObject({
            email: z.boolean().optional(),
            sms: z.boolean().optional(),
            letter: z.boolean().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, { message: 'name at least one channel' }),
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const customer = unwrap(await customers.get(scope, req.params.id));
      return preferences.set(scope, customer.id, req.body);
    },
  );

  app.get(
    '/v1/communications/opt-outs',
    {
      schema: {
        tags: ['communications'],
        summary: 'Addresses that opted out (SMS STOP, e-mail unsubscribe or spam report)',
        querystring: z.strictObject({ channel: z.enum(['email', 'sms']).optional() }),
      },
    },
    async (req) => ({
      data: (await preferences.listOptOuts(scopeOf(req).tenantId, req.query.channel)).map((o) => ({
        channel: o.channel,
        address: o.address,
        source: o.source,
        created_at: o.createdAt.toISOString(),
      })),
    }),
  );
};
