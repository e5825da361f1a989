import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../tenancy/index.js';
import type { CommunicationSettings, CommunicationSettingsService } from './service.js';

const body = z.strictObject({
  lender: z.strictObject({
    name: z.string().trim().min(1).max(200),
    address: z.string().trim().min(1).max(300),
    phone: z.string().trim().min(1).max(40),
    email: z.email(),
  }),
  rate_per_second: z.number().int().min(1).max(10_000),
});

const json = (s: CommunicationSettings) => ({ lender: s.lender, rate_per_second: s.ratePerSecond });

export const settingsRoutes: FastifyPluginAsyncZod<{ settings: CommunicationSettingsService }> = async (
  app,
  { settings },
) => {
  app.get(
    '/v1/communications/settings',
    { schema: { tags: ['communications'], summary: 'The lender messages name, and the send rate' } },
    async (req) => json(await settings.get(scopeOf(req).tenantId)),
  );
  app.put(
    '/v1/communications/settings',
    {
      config: { access: 'admin' },
      schema: { tags: ['communications'], summary: 'Set the lender messages name, and the send rate', body },
    },
    async (req) =>
      json(
        await settings.update(scopeOf(req), {
          lender: req.body.lender,
          ratePerSecond: req.body.rate_per_second,
        }),
      ),
  );
};
