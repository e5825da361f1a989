import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Scope } from '../../../kernel/audit.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { lenderOut } from '../responses.js';
import type { CommunicationSettings, CommunicationSettingsService } from './service.js';

const body = z.strictObject({
  lender: z.strictObject({
    name: z.string().trim().min(1).max(200),
    address: z.string().trim().min(1).max(300),
    phone: z.string().trim().min(1).max(40),
    email: z.email(),
  }),
  rate_per_second: z.number().int().min(1).max(10_000),
  /** Days before a due date that the payment reminder goes (default 5); a program may set its own. */
  payment_reminder_days: z.number().int().min(0).max(60).optional(),
});

const json = (s: CommunicationSettings) => ({
  lender: s.lender,
  rate_per_second: s.ratePerSecond,
  payment_reminder_days: s.paymentReminderDays,
});

const settingsOut = z.object({
  lender: lenderOut.nullable(),
  rate_per_second: z.number().int(),
  payment_reminder_days: z.number().int(),
});

const programBody = z.strictObject({
  /** null: the program takes the tenant's `payment_reminder_days` again. */
  payment_reminder_days: z.number().int().min(0).max(60).nullable(),
});

export const settingsRoutes: FastifyPluginAsyncZod<{
  settings: CommunicationSettingsService;
  programExists: (scope: Scope, id: string) => Promise<boolean>;
}> = async (app, { settings, programExists }) => {
  app.put(
    '/v1/communications/programs/:program_id/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['communications'],
        summary: "Set a program's payment reminder lead time (null: the tenant's)",
        response: {
          200: z.object({ program_id: z.string(), payment_reminder_days: z.number().int().nullable() }),
        },
        params: z.object({ program_id: z.string() }),
        body: programBody,
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const r = await settings.setProgramReminderDays(
        scope,
        req.params.program_id,
        req.body.payment_reminder_days,
        (id) => programExists(scope, id),
      );
      const v = unwrap(r);
      return { program_id: v.programId, payment_reminder_days: v.paymentReminderDays };
    },
  );
  app.get(
    '/v1/communications/settings',
    {
      schema: {
        tags: ['communications'],
        summary: 'The lender messages name, and the send rate',
        response: { 200: settingsOut },
      },
    },
    async (req) => json(await settings.get(scopeOf(req).tenantId)),
  );
  app.put(
    '/v1/communications/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['communications'],
        summary: 'Set the lender messages name, and the send rate',
        body,
        response: { 200: settingsOut },
      },
    },
    async (req) =>
      json(
        await settings.update(scopeOf(req), {
          lender: req.body.lender,
          ratePerSecond: req.body.rate_per_second,
          paymentReminderDays: req.body.payment_reminder_days,
        }),
      ),
  );
};
