import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { paymentMethodOut } from '../responses.js';
import type { PaymentMethodRow } from '../tables.js';
import type { PaymentMethodService } from './service.js';

const methodCreate = z
  .strictObject({
    customer_id: z.string().min(1),
    type: z.enum(['card', 'bank_account']),
    /** A vendor token: Stripe `pm_…`/`tok_…`, an Authorize.Net Accept.js nonce. */
    token: z.string().min(1).max(4096).optional(),
    /** A method the lender's front end stored at the processor itself. */
    profile: z
      .strictObject({
        customer_ref: z.string().min(1).max(255),
        method_ref: z.string().min(1).max(255),
        routing_number: z
          .string()
          .regex(/^\d{9}$/, 'must be 9 digits')
          .optional(),
      })
      .optional(),
    provider_config_id: z.string().optional(),
    program_id: z.string().optional(),
    mandate: z
      .strictObject({ ip_address: z.string().min(3).max(64), user_agent: z.string().min(1).max(512) })
      .optional(),
  })
  .refine((b) => (b.token === undefined) !== (b.profile === undefined), {
    message: 'give exactly one of token and profile',
    path: ['token'],
  });

export const paymentMethodJson = (m: PaymentMethodRow) => ({
  id: m.id,
  customer_id: m.customerId,
  provider_config_id: m.providerConfigId,
  provider_key: m.providerKey,
  type: m.kind,
  customer_ref: m.customerRef,
  method_ref: m.methodRef,
  brand: m.brand,
  last4: m.last4,
  exp_month: m.expMonth,
  exp_year: m.expYear,
  bank_name: m.bankName,
  routing_number: m.routingNumber,
  mandate: m.mandate,
  status: m.status,
  created_at: m.createdAt.toISOString(),
});

export const paymentMethodRoutes: FastifyPluginAsyncZod<{ methods: PaymentMethodService }> = async (
  app,
  { methods },
) => {
  app.post(
    '/v1/payment-methods',
    {
      schema: {
        tags: ['payments'],
        summary: "Attach a vendor token or stored vendor profile to a customer at the tenant's processor",
        response: { 201: paymentMethodOut },
        body: methodCreate,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const row = unwrap(
        await methods.create(scopeOf(req), {
          customerId: b.customer_id,
          kind: b.type,
          token: b.token,
          profile: b.profile && {
            customerRef: b.profile.customer_ref,
            methodRef: b.profile.method_ref,
            routingNumber: b.profile.routing_number,
          },
          providerConfigId: b.provider_config_id,
          programId: b.program_id,
          mandate: b.mandate && { ipAddress: b.mandate.ip_address, userAgent: b.mandate.user_agent },
        }),
      );
      return reply.code(201).send(paymentMethodJson(row));
    },
  );

  app.get(
    '/v1/payment-methods',
    {
      schema: {
        tags: ['payments'],
        summary: 'List payment methods, newest first',
        response: { 200: pageOf(paymentMethodOut) },
        querystring: z.strictObject({ ...pageQuery, customer_id: z.string().optional() }),
      },
    },
    async (req) => {
      const rows = await methods.list(scopeOf(req), { ...req.query, customerId: req.query.customer_id });
      return pageJson(rows, req.query.limit, paymentMethodJson);
    },
  );

  app.get(
    '/v1/payment-methods/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'Get a payment method',
        params: z.object({ id: z.string() }),
        response: { 200: paymentMethodOut },
      },
    },
    async (req) => paymentMethodJson(unwrap(await methods.get(scopeOf(req), req.params.id))),
  );
};
