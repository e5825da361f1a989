import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { etagOf } from '../../../kernel/etag.js';
import { anyObject, pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { originatorDisclosureSchema } from '../compliance/originator-disclosure.js';
import { LOAN_STATUSES } from '../domain/installment/index.js';
import { LEASE_STATUSES } from '../domain/lease/index.js';
import { LINE_STATUSES } from '../domain/revolving/index.js';
import type { LoanServicing } from '../product.js';
import { loanDetailsOut, loanOut, loanSummaryOut } from '../responses.js';
import { balancesOf, eventJson, journalJson, loanJson, loanSummaryJson, scheduleJson } from './json.js';
import type { LoanService } from './service.js';

/** Loans: originating one, listing and reading them, and a payoff quote. The actions on a loan are action-routes.ts. */

const idParams = z.object({ id: z.string() });
/** Every status a loan of any product can have: the list filter's choices, published in the OpenAPI document. */
const STATUSES = [...new Set<string>([...LOAN_STATUSES, ...LEASE_STATUSES, ...LINE_STATUSES])] as [
  string,
  ...string[],
];

export const loanRoutes: FastifyPluginAsyncZod<{
  loans: LoanService;
  servicing: (product: string) => LoanServicing | null;
}> = async (app, { loans, servicing }) => {
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
          // What the borrower was told, if the loan comes with an originator's disclosure: tila_apr_disclosure
          // checks it against the figures lending computes from the loan's schedule.
          originator_disclosure: originatorDisclosureSchema.optional(),
        }),
        response: { 201: loanOut },
      },
    },
    async (req, reply) => {
      const { program_id, customer_id, external_ref, originator_disclosure, ...request } = req.body;
      const loan = unwrap(
        await loans.create(scopeOf(req), {
          programId: program_id,
          customerId: customer_id,
          externalRef: external_ref,
          request,
          ...(originator_disclosure && { originatorDisclosure: originator_disclosure }),
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
          view: z
            .enum(['full', 'summary'])
            .default('full')
            .describe(
              '`summary`: each loan without its terms and disclosures (what a list shows, read faster)',
            ),
        }),
        response: { 200: pageOf(z.union([loanOut, loanSummaryOut])) },
      },
    },
    async (req) => {
      const { limit, before, status, program_id, customer_id, min_days_past_due, view } = req.query;
      const filter = {
        limit,
        before,
        status,
        programId: program_id,
        customerId: customer_id,
        minDaysPastDue: min_days_past_due,
      };
      const data =
        view === 'summary'
          ? (await loans.list(scopeOf(req), { ...filter, summary: true })).map(loanSummaryJson)
          : (await loans.list(scopeOf(req), filter)).map((l) => loanJson(l, servicing(l.product)));
      return { data, next_before: data.length === limit ? data.at(-1)!.id : null };
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
        response: { 200: loanDetailsOut },
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
        annual_interest_rate_in_force: d.rateInForce,
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
        response: { 200: anyObject.describe('the product’s payoff quote: the amounts owed on the date') },
      },
    },
    async (req) => {
      const { date, ...details } = req.body ?? {};
      return unwrap(await loans.payoffQuote(scopeOf(req), req.params.id, date, details));
    },
  );
};
