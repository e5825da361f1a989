import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { etagOf, ifMatchHeaders, parseIfMatch } from '../../../kernel/etag.js';
import type { StoredResponse } from '../../../kernel/idempotency.js';
import { positiveMinorSchema } from '../../../kernel/money.js';
import { type Result, unwrap } from '../../../kernel/result.js';
import { decisionJson } from '../../compliance/index.js';
import { scopeOf } from '../../tenancy/index.js';
import { nonNegativeMinorSchema, percentSchema } from '../domain/common-terms.js';
import { LOAN_STATUSES } from '../domain/installment/index.js';
import { LEASE_STATUSES } from '../domain/lease/index.js';
import { LINE_STATUSES } from '../domain/revolving/index.js';
import type { ActionInput, LoanAction, LoanServicing } from '../product.js';
import { balancesOf, eventJson, journalJson, loanJson, scheduleJson } from './json.js';
import type { ActionOutcome, LoanService } from './service.js';

const idParams = z.object({ id: z.string() });
const currencySchema = z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code' });
const effective = { effective_date: dateSchema.optional() };
/** Every status a loan of any product can have: the list filter's choices, published in the OpenAPI document. */
const STATUSES = [...new Set<string>([...LOAN_STATUSES, ...LEASE_STATUSES, ...LINE_STATUSES])] as [
  string,
  ...string[],
];

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

export const loanRoutes: FastifyPluginAsyncZod<{
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

  app.post(
    '/v1/loans',
    {
      config: { idempotent: true },
      schema: {
        tags: ['loans'],
        summary: 'Apply for a loan under a program: the request is validated within the program’s terms',
        body: z.looseObject({
          program_id: z.string(),
          customer_id: z.string().uuid().optional(),
          external_ref: z.string().trim().min(1).max(200).optional(),
        }),
      },
    },
    async (req, reply) => {
      const { program_id, customer_id, external_ref, ...request } = req.body;
      const loan = unwrap(
        await loans.create(scopeOf(req), {
          programId: program_id,
          customerId: customer_id,
          externalRef: external_ref,
          request,
        }),
      );
      return reply.code(201).send(loanJson(loan, servicing(loan.product)));
    },
  );

  app.get(
    '/v1/loans',
    {
      schema: {
        tags: ['loans'],
        summary:
          'List loans, newest first, a page at a time (`next_before` starts the next page); filter by status, program or days past due',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.string().optional(),
          status: z.enum(STATUSES).optional(),
          program_id: z.string().optional(),
          customer_id: z.string().optional(),
          min_days_past_due: z.coerce.number().int().min(1).max(100_000).optional(),
        }),
      },
    },
    async (req) => {
      const { limit, before, status, program_id, customer_id, min_days_past_due } = req.query;
      const found = await loans.list(scopeOf(req), {
        limit,
        before,
        status,
        programId: program_id,
        customerId: customer_id,
        minDaysPastDue: min_days_past_due,
      });
      return {
        data: found.map((l) => loanJson(l, servicing(l.product))),
        next_before: found.length === req.query.limit ? found.at(-1)!.id : null,
      };
    },
  );

  app.get(
    '/v1/loans/:id',
    {
      schema: {
        tags: ['loans'],
        summary:
          'A loan with its schedule, transactions, journal, statements and delinquency; its ETag is the loan’s ' +
          'version, for If-Match on the loan’s actions',
        params: idParams,
      },
    },
    async (req, reply) => {
      const d = unwrap(await loans.details(scopeOf(req), req.params.id));
      reply.header('etag', etagOf(d.loan.version));
      const balances = balancesOf(d.journal);
      // A product's own views (a line's statements, a lease's schedule and outstanding) take precedence.
      return {
        ...loanJson(d.loan, servicing(d.loan.product)),
        business_date: d.businessDate,
        balances,
        outstanding: {
          principal: balances.loans_receivable ?? 0,
          interest: balances.interest_receivable ?? 0,
          fees: balances.fees_receivable ?? 0,
          penalties: balances.penalties_receivable ?? 0,
        },
        delinquency: {
          days_past_due: d.loan.daysPastDue,
          bucket: d.loan.delinquencyBucket,
          oldest_unpaid_due: d.loan.oldestUnpaidDue,
        },
        schedule: scheduleJson(d.installments, d.loan.amount),
        transactions: d.events.map((e) => eventJson(e, d.effects.get(e.id))),
        journal: journalJson(d.journal),
        statements: [],
        ...d.extra,
      };
    },
  );

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

  app.post(
    '/v1/loans/:id/draws',
    {
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['loans'],
        summary: 'Draw on a line of credit',
        params: idParams,
        headers: ifMatchHeaders,
        body: z.strictObject({
          amount: positiveMinorSchema,
          currency: currencySchema.optional(),
          ...effective,
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input: ActionInput = {
        action: 'draw',
        amount: b.amount,
        currency: b.currency,
        effectiveDate: b.effective_date,
      };
      return act(req, reply, req.params.id, input);
    },
  );

  app.post(
    '/v1/loans/:id/fees',
    {
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['loans'],
        summary: 'Charge a fee to a line of credit (an annual or a returned-payment fee, say)',
        params: idParams,
        headers: ifMatchHeaders,
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

  app.post(
    '/v1/loans/:id/rate-changes',
    {
      config: { idempotent: 'in_transaction' },
      schema: {
        tags: ['loans'],
        summary:
          'Change an installment loan’s annual rate from a date: interest from that date is re-computed at the new ' +
          'rate (backdated: every later transaction is reprocessed); the scheduled principal is kept',
        params: idParams,
        headers: ifMatchHeaders,
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
        body: z.looseObject(effective),
      },
    },
    async (req, reply) => {
      const { effective_date, ...details } = req.body;
      const input: ActionInput = { action: 'terminate', effectiveDate: effective_date, details };
      return act(req, reply, req.params.id, input);
    },
  );

  app.post(
    '/v1/loans/:id/payoff-quotes',
    {
      schema: {
        tags: ['loans'],
        summary:
          'What paying the loan off on a date takes (default: the business date); for a lease, the early-termination ' +
          'quote (with the vehicle’s realized_value) or the purchase quote at maturity; nothing is recorded',
        params: idParams,
        body: z.looseObject({ date: dateSchema.optional() }).nullish(),
      },
    },
    async (req) => {
      const { date, ...details } = req.body ?? {};
      return unwrap(await loans.payoffQuote(scopeOf(req), req.params.id, date, details));
    },
  );
};
