import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { ifMatchHeaders, parseIfMatch } from '../../../kernel/etag.js';
import type { StoredResponse } from '../../../kernel/idempotency.js';
import { positiveMinorSchema } from '../../../kernel/money.js';
import { type Result, unwrap } from '../../../kernel/result.js';
import { decisionJson } from '../../compliance/index.js';
import { scopeOf } from '../../tenancy/index.js';
import { nonNegativeMinorSchema, percentSchema } from '../domain/common-terms.js';
import type { ActionInput, LoanAction, LoanServicing } from '../product.js';
import { actionOut } from '../responses.js';
import { eventJson, loanJson } from './json.js';
import type { ActionOutcome, LoanService } from './service.js';

/**
 * The actions on a loan (`POST /v1/loans/{id}/<action>`): each is recorded as an event and the loan serviced
 * again. They share one path (`act`): If-Match, Idempotency-Key and the rendered outcome. Reading loans and
 * creating them is routes.ts.
 */

const idParams = z.object({ id: z.string() });
const currencySchema = z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code' });
const effective = { effective_date: dateSchema.optional() };

/** Actions that only move the lifecycle: a body with at most an effective date. */
const LIFECYCLE: readonly [string, LoanAction, string][] = [
  ['approve', 'approve', 'Approve an application'],
  ['reject', 'reject', 'Reject an application'],
  ['withdraw', 'withdraw', 'Withdraw an application or an approved loan'],
  ['disburse', 'disburse', 'Disburse an approved loan (effective on its disbursement date by default)'],
  ['charge-off', 'charge_off', 'Charge the loan off'],
  ['freeze', 'freeze', 'Freeze a line of credit: no more draws until it is unfrozen'],
  ['unfreeze', 'unfreeze', 'Unfreeze a frozen line of credit'],
  ['close', 'close', 'Close a paid-off or charged-off loan'],
];

export const loanActionRoutes: FastifyPluginAsyncZod<{
  loans: LoanService;
  servicing: (product: string) => LoanServicing | null;
}> = async (app, { loans, servicing }) => {
  const outcomeJson = (o: ActionOutcome) => ({
    ...eventJson(o.event, o.projection.effects.get(o.event.id)),
    loan: loanJson(o.loan, servicing(o.loan.product)),
    ...(o.compliance?.evaluationId && { compliance: decisionJson(o.compliance) }),
  });
  /**
   * Records the action. With an Idempotency-Key (`idempotent: 'in_transaction'`), the service decides the outcome,
   * the route renders it, and the service stores that response with the loan's write (or answers the one an
   * earlier request with the key stored).
   */
  const act = async (req: FastifyRequest, reply: FastifyReply, id: string, input: ActionInput) => {
    const keyed = req.idempotency;
    const precondition = unwrap(parseIfMatch(req.headers['if-match']));
    if (!keyed)
      return reply
        .code(201)
        .send(outcomeJson(unwrap(await loans.act(scopeOf(req), id, input, undefined, { precondition }))));
    const render = (r: Result<ActionOutcome>): StoredResponse =>
      r.ok ? { status: 201, body: JSON.stringify(outcomeJson(r.value)) } : keyed.problem(r.error);
    const key = { key: keyed.key, requestHash: keyed.requestHash };
    let step = unwrap(await loans.actKeyed(scopeOf(req), id, input, key, precondition));
    while (step.kind === 'decided') step = unwrap(await step.commit(render(step.outcome)));
    return keyed.send(reply, step.response, step.replayed);
  };

  // What the borrower stated at application, for the ability_to_repay rule at approval (monthly, minor units).
  const underwriting = z.strictObject({
    stated_monthly_income: nonNegativeMinorSchema.optional(),
    stated_monthly_debt_payments: nonNegativeMinorSchema.optional(),
    stated_monthly_essential_expenses: nonNegativeMinorSchema.optional(),
  });
  for (const [path, action, summary] of LIFECYCLE)
    app.post(
      `/v1/loans/:id/${path}`,
      {
        config: { idempotent: action === 'disburse' && 'in_transaction' },
        schema: {
          tags: ['loans'],
          summary,
          params: idParams,
          headers: ifMatchHeaders,
          response: { 201: actionOut },
          body: (action === 'approve'
            ? z.strictObject({ ...effective, underwriting: underwriting.optional() })
            : z.strictObject(effective)
          ).nullish(),
        },
      },
      async (req, reply) => {
        const u = (req.body as { underwriting?: z.output<typeof underwriting> } | null)?.underwriting;
        return act(req, reply, req.params.id, {
          action,
          effectiveDate: req.body?.effective_date,
          ...(u && {
            details: {
              underwriting: {
                statedMonthlyIncome: u.stated_monthly_income,
                statedMonthlyDebtPayments: u.stated_monthly_debt_payments,
                statedMonthlyEssentialExpenses: u.stated_monthly_essential_expenses,
              },
            },
          }),
        });
      },
    );

  app.post(
    '/v1/loans/:id/payments',
    {
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['loans'],
        summary: 'Record a payment received (manual payments; processors drive the same path)',
        params: idParams,
        headers: ifMatchHeaders,
        response: { 201: actionOut },
        // `payoff: true` without an amount pays what the loan owes on the effective date (its payoff quote).
        body: z
          .strictObject({
            amount: positiveMinorSchema.optional(),
            currency: currencySchema.optional(),
            payoff: z.boolean().default(false),
            ...effective,
          })
          .refine((b) => b.amount !== undefined || b.payoff, {
            path: ['amount'],
            message: 'required unless payoff is true',
          }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input: ActionInput = {
        action: 'payment',
        amount: b.amount,
        currency: b.currency,
        payoff: b.payoff,
        effectiveDate: b.effective_date,
      };
      return act(req, reply, req.params.id, input);
    },
  );

  app.post(
    '/v1/loans/:id/payment-reversals',
    {
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['loans'],
        summary: 'Reverse a payment (a returned payment): every later transaction is reprocessed',
        params: idParams,
        headers: ifMatchHeaders,
        response: { 201: actionOut },
        body: z.strictObject({ payment_id: z.string().uuid(), ...effective }),
      },
    },
    async (req, reply) => {
      const input: ActionInput = {
        action: 'payment_reversal',
        paymentId: req.body.payment_id,
        effectiveDate: req.body.effective_date,
      };
      return act(req, reply, req.params.id, input);
    },
  );

  /** An action that moves an amount and nothing else (a draw, a tranche): one body, one input. */
  const amountAction = (path: string, action: 'draw' | 'disburse_tranche', summary: string) =>
    app.post(
      path,
      {
        config: { idempotent: 'in_transaction' },
        schema: {
          tags: ['loans'],
          summary,
          params: idParams,
          headers: ifMatchHeaders,
          response: { 201: actionOut },
          body: z.strictObject({
            amount: positiveMinorSchema,
            currency: currencySchema.optional(),
            ...effective,
          }),
        },
      },
      async (req, reply) => {
        const { amount, currency, effective_date } = req.body;
        return act(req, reply, req.params.id, { action, amount, currency, effectiveDate: effective_date });
      },
    );

  amountAction('/v1/loans/:id/draws', 'draw', 'Draw on a line of credit');

  app.post(
    '/v1/loans/:id/fees',
    {
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['loans'],
        summary: 'Charge a fee to a line of credit (an annual or a returned-payment fee, say)',
        params: idParams,
        headers: ifMatchHeaders,
        response: { 201: actionOut },
        body: z.strictObject({
          amount: positiveMinorSchema,
          currency: currencySchema.optional(),
          description: z.string().trim().min(1).max(200).default('fee'),
          /** A penalty fee's kind, for the Reg Z penalty-fee limits (late_fee_cap); `other`: not a penalty. */
          kind: z.enum(['late', 'returned_payment', 'over_limit', 'other']).default('other'),
          ...effective,
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input: ActionInput = {
        action: 'fee',
        amount: b.amount,
        currency: b.currency,
        effectiveDate: b.effective_date,
        details: { description: b.description, kind: b.kind },
      };
      return act(req, reply, req.params.id, input);
    },
  );

  amountAction(
    '/v1/loans/:id/tranches',
    'disburse_tranche',
    'Disburse one more tranche of an installment loan in tranches (its program’s multi_disbursement), up to ' +
      'the approved amount: the installments from the period of its date on are re-amortized',
  );

  app.post(
    '/v1/loans/:id/rate-changes',
    {
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['loans'],
        summary:
          'Change an installment loan’s annual rate from a date: interest from that date is re-computed at the new ' +
          'rate (backdated: every later transaction is reprocessed); the scheduled principal is kept, or with ' +
          'interest recalculation the installments are re-projected on the balance outstanding',
        params: idParams,
        headers: ifMatchHeaders,
        response: { 201: actionOut },
        body: z.strictObject({
          annual_interest_rate: percentSchema,
          reason: z.enum(['reset', 'scra', 'other']).default('reset'),
          ...effective,
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input: ActionInput = {
        action: 'rate_change',
        annualInterestRate: b.annual_interest_rate,
        effectiveDate: b.effective_date,
        details: { reason: b.reason },
      };
      return act(req, reply, req.params.id, input);
    },
  );

  app.post(
    '/v1/loans/:id/terminate',
    {
      schema: {
        tags: ['loans'],
        summary: 'Terminate a lease (early termination, return or purchase)',
        params: idParams,
        headers: ifMatchHeaders,
        response: { 201: actionOut },
        body: z.looseObject(effective),
      },
    },
    async (req, reply) => {
      const { effective_date, ...details } = req.body;
      const input: ActionInput = { action: 'terminate', effectiveDate: effective_date, details };
      return act(req, reply, req.params.id, input);
    },
  );
};
