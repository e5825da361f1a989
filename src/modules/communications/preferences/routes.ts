import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instant, listOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { type CustomerService, scopeOf } from '../../tenancy/index.js';
import { preferencesOut } from '../responses.js';
import type { PreferenceService } from './service.js';

const params = z.object({ id: z.string() });

export const preferenceRoutes: FastifyPluginAsyncZod<{
  preferences: PreferenceService;
  customers: CustomerService;
}> = async (app, { preferences, customers }) => {
  app.get(
    '/v1/customers/:id/contact-preferences',
    {
      schema: {
        tags: ['communications'],
        summary: 'Which channels a customer may be contacted on',
        params,
        response: { 200: preferencesOut },
      },
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
        response: { 200: preferencesOut },
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
        response: {
          200: listOf(
            z.object({
              channel: z.enum(['email', 'sms']),
              address: z.string(),
              source: z.string(),
              created_at: instant,
            }),
          ),
        },
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
