import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currencySchema, positiveMinorSchema } from '../../../kernel/money.js';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { pageOf } from '../../../kernel/responses.js';
import { type Result, raise, unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { PAYMENT_STATES } from '../domain/states.js';
import { paymentDetailOut, paymentOut, refundOut } from '../responses.js';
import type { PaymentRow } from '../tables.js';
import { paymentFailure, paymentJson, refundJson, transitionJson } from './json.js';
import type { RefundService } from './refunds.js';
import type { PaymentService } from './service.js';

const paymentCreate = z.strictObject({
  customer_id: z.string().min(1),
  payment_method_id: z.string().min(1),
  amount: positiveMinorSchema,
  currency: currencySchema,
  /** false: authorize only (cards), captured later with /capture. */
  capture: z.boolean().default(true),
  description: z.string().max(500).nullish(),
});

const idParams = z.object({ id: z.string() });
const optionalAmount = z.strictObject({ amount: positiveMinorSchema.optional() });

/** A payment's answer: the payment, or the failure its state is (declined 402, unknown 503). */
export function answerPayment(r: Result<PaymentRow>): PaymentRow {
  const p = unwrap(r);
  const failed = paymentFailure(p);
  if (failed) raise(failed);
  return p;
}

export const paymentRoutes: FastifyPluginAsyncZod<{
  payments: PaymentService;
  refunds: RefundService;
}> = async (app, { payments, refunds }) => {
  app.post(
    '/v1/payments',
    {
      config: { idempotent: true },
      schema: {
        tags: ['payments'],
        summary: "Charge a customer's stored payment method (capture: false authorizes only)",
        response: { 201: paymentOut },
        body: paymentCreate,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await payments.create(
        scopeOf(req),
        {
          customerId: b.customer_id,
          paymentMethodId: b.payment_method_id,
          amount: b.amount,
          currency: b.currency,
          capture: b.capture,
          description: b.description ?? null,
        },
        req.idempotencyKey ?? null,
      );
      return reply.code(201).send(paymentJson(answerPayment(r)));
    },
  );

  app.post(
    '/v1/payments/:id/capture',
    {
      config: { idempotent: true },
      schema: {
        tags: ['payments'],
        summary: 'Capture an authorization, all or part',
        response: { 200: paymentOut },
        params: idParams,
        body: optionalAmount.optional(),
      },
    },
    async (req) =>
      paymentJson(answerPayment(await payments.capture(scopeOf(req), req.params.id, req.body?.amount))),
  );

  app.post(
    '/v1/payments/:id/void',
    {
      config: { idempotent: true },
      schema: {
        tags: ['payments'],
        summary: 'Release an authorization (a captured payment is refunded instead)',
        response: { 200: paymentOut },
        params: idParams,
      },
    },
    async (req) => paymentJson(answerPayment(await payments.void(scopeOf(req), req.params.id))),
  );

  app.post(
    '/v1/payments/:id/refunds',
    {
      config: { idempotent: true },
      schema: {
        tags: ['payments'],
        summary: 'Refund a captured payment, all that is left or part (several partial refunds allowed)',
        response: { 201: z.object({ refund: refundOut, payment: paymentOut }) },
        params: idParams,
        body: optionalAmount.optional(),
      },
    },
    async (req, reply) => {
      const r = unwrap(
        await refunds.create(scopeOf(req), req.params.id, req.body?.amount, req.idempotencyKey ?? null),
      );
      return reply.code(201).send({ refund: refundJson(r.refund), payment: paymentJson(r.payment) });
    },
  );

  app.get(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'List payments, newest first',
        response: { 200: pageOf(paymentOut) },
        querystring: z.strictObject({
          ...pageQuery,
          customer_id: z.string().optional(),
          loan_id: z.string().optional(),
          state: z.enum(PAYMENT_STATES).optional(),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await payments.list(scopeOf(req), {
        limit: q.limit,
        before: q.before,
        customerId: q.customer_id,
        loanId: q.loan_id,
        state: q.state,
      });
      return pageJson(rows, q.limit, paymentJson);
    },
  );

  app.get(
    '/v1/payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'Get a payment with its transitions and refunds',
        response: { 200: paymentDetailOut },
        params: idParams,
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const p = unwrap(await payments.get(scope, req.params.id));
      const [transitions, refundRows] = await Promise.all([
        payments.transitions(scope, p.id),
        refunds.list(scope, p.id),
      ]);
      return {
        ...paymentJson(p),
        transitions: transitions.map(transitionJson),
        refunds: refundRows.map(refundJson),
      };
    },
  );
};
