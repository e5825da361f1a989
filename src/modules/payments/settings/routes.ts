import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { minorSchema } from '../../../kernel/money.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { settingsOut } from '../responses.js';
import type { CollectionSettings, SettingsService } from './service.js';

const settingsPut = z.strictObject({
  returned_payment_fee: minorSchema.refine((n) => n >= 0, { message: 'must not be negative' }),
  overpayment: z.enum(['reject', 'credit']),
});

const settingsJson = (s: CollectionSettings) => ({
  program_id: s.programId,
  returned_payment_fee: s.returnedPaymentFee,
  overpayment: s.overpayment,
});

const params = z.object({ id: z.string() });

export const settingsRoutes: FastifyPluginAsyncZod<{ settings: SettingsService }> = async (
  app,
  { settings },
) => {
  app.get(
    '/v1/programs/:id/payment-settings',
    {
      schema: {
        tags: ['payments'],
        summary: "A program's collection settings",
        params,
        response: { 200: settingsOut },
      },
    },
    async (req) => settingsJson(unwrap(await settings.get(scopeOf(req), req.params.id))),
  );

  app.put(
    '/v1/programs/:id/payment-settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['payments'],
        summary: "Set a program's returned-payment fee and what a collection above the payoff does",
        response: { 200: settingsOut },
        params,
        body: settingsPut,
      },
    },
    async (req) =>
      settingsJson(
        unwrap(
          await settings.put(scopeOf(req), req.params.id, {
            returnedPaymentFee: req.body.returned_payment_fee,
            overpayment: req.body.overpayment,
          }),
        ),
      ),
  );
};
