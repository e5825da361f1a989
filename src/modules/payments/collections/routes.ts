import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StoredResponse } from '../../../kernel/idempotency.js';
import { positiveMinorSchema } from '../../../kernel/money.js';
import { type Result, unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import type { Autopay, AutopayService } from '../autopay/service.js';
import { paymentFailure, paymentJson } from '../payments/json.js';
import { answerPayment } from '../payments/routes.js';
import { autopayOut, paymentOut } from '../responses.js';
import type { PaymentRow } from '../tables.js';
import type { CollectionService } from './service.js';

const idParams = z.object({ id: z.string() });

const collectionCreate = z.strictObject({
  /** Minor units, or "due" (everything due by the business date), or "payoff" (what pays the loan off today). */
  amount: z.union([positiveMinorSchema, z.enum(['due', 'payoff'])]),
  payment_method_id: z.string().min(1),
  description: z.string().max(500).nullish(),
});

const autopayPut = z.strictObject({
  payment_method_id: z.string().min(1),
  enabled: z.boolean().default(true),
});

const autopayJson = (a: Autopay) => ({
  loan_id: a.loanId,
  payment_method_id: a.paymentMethodId,
  enabled: a.enabled,
  updated_at: a.updatedAt.toISOString(),
});

export const collectionRoutes: FastifyPluginAsyncZod<{
  collections: CollectionService;
  autopay: AutopayService;
}> = async (app, { collections, autopay }) => {
  app.post(
    '/v1/loans/:id/collections',
    {
      // The key is claimed with the payment's record and completed with its finalization (CollectionService).
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['payments'],
        summary: "Collect a loan payment with the borrower's stored method at the program's processor",
        response: { 201: paymentOut },
        params: idParams,
        body: collectionCreate,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input = {
        amount: b.amount,
        paymentMethodId: b.payment_method_id,
        description: b.description ?? null,
      };
      const keyed = req.idempotency;
      if (!keyed) {
        const r = await collections.collect(scopeOf(req), req.params.id, input, null);
        return reply.code(201).send(paymentJson(answerPayment(r)));
      }
      // The response is rendered before the statement that stores it with the key: the same bytes either way.
      const render = (r: Result<PaymentRow>): StoredResponse => {
        const failed = r.ok ? paymentFailure(r.value) : r.error;
        if (failed) return keyed.problem(failed);
        return { status: 201, body: JSON.stringify(paymentJson((r as { value: PaymentRow }).value)) };
      };
      const answer = await collections.collectKeyed(scopeOf(req), req.params.id, input, {
        key: keyed.key,
        requestHash: keyed.requestHash,
        render,
      });
      return keyed.send(reply, answer.response, answer.replayed);
    },
  );

  app.put(
    '/v1/loans/:id/autopay',
    {
      schema: {
        tags: ['payments'],
        summary: "Set a loan's autopay: the stored method that pays each installment on its due date",
        response: { 200: autopayOut },
        params: idParams,
        body: autopayPut,
      },
    },
    async (req) =>
      autopayJson(
        unwrap(
          await autopay.put(scopeOf(req), req.params.id, {
            paymentMethodId: req.body.payment_method_id,
            enabled: req.body.enabled,
          }),
        ),
      ),
  );

  app.get(
    '/v1/loans/:id/autopay',
    {
      schema: {
        tags: ['payments'],
        summary: "A loan's autopay setting (null: none)",
        params: idParams,
        response: { 200: z.object({ autopay: autopayOut.nullable() }) },
      },
    },
    async (req) => {
      const a = unwrap(await autopay.get(scopeOf(req), req.params.id));
      return { autopay: a ? autopayJson(a) : null };
    },
  );
};
