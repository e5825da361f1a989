import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { etagOf, ifMatchHeaders, parseIfMatch } from '../../../kernel/etag.js';
import { calendarDate, instant } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { STATUS_ACTIONS, type StatusAction } from '../domain/servicing-status.js';
import type { ServicingStatusRow } from '../tables.js';
import type { ServicingStatusService, StatusView } from './service.js';

const idParams = z.object({ id: z.string() });
const effective = { effective_date: dateSchema.optional() };

const recordOut = z.object({
  sequence: z.number().int(),
  action: z.enum(STATUS_ACTIONS),
  effective_date: calendarDate,
  agency: z.string().nullable(),
  first_delinquency: calendarDate.nullable(),
  loan_status: z.string(),
  business_date: calendarDate,
  actor: z.string().nullable(),
  recorded_at: instant,
});

const statusOut = z.object({
  loan_id: z.string(),
  /** The loan's version after the change: its ETag, for the next If-Match. */
  loan_version: z.number().int(),
  business_date: calendarDate,
  collection: z
    .object({
      agency: z.string().nullable(),
      since: calendarDate,
      first_delinquency: calendarDate.nullable(),
    })
    .nullable()
    .describe(
      'The placement in force: with an outside agency, or the servicer’s own collections (agency null)',
    ),
  collateral: z
    .object({
      kind: z.enum(['repossession', 'surrender']),
      since: calendarDate,
      first_delinquency: calendarDate.nullable(),
    })
    .nullable()
    .describe('The collateral taken back, until a reinstatement'),
  history: z.array(recordOut),
});

const recordJson = (r: ServicingStatusRow) => ({
  sequence: r.sequence,
  action: r.action,
  effective_date: r.effectiveDate,
  agency: r.agency,
  first_delinquency: r.firstDelinquency,
  loan_status: r.loanStatus,
  business_date: r.businessDate,
  actor: r.actor,
  recorded_at: r.recordedAt.toISOString(),
});

const statusJson = (v: StatusView) => ({
  loan_id: v.loan.id,
  loan_version: v.loan.version,
  business_date: v.businessDate,
  collection: v.status.collection && {
    agency: v.status.collection.agency,
    since: v.status.collection.since,
    first_delinquency: v.status.collection.firstDelinquency,
  },
  collateral: v.status.collateral && {
    kind: v.status.collateral.kind,
    since: v.status.collateral.since,
    first_delinquency: v.status.collateral.firstDelinquency,
  },
  history: v.records.map(recordJson),
});

/** The changes, each a route of its own like the loan's other actions: path, action, summary, extra body fields. */
const CHANGES: readonly [string, StatusAction, string][] = [
  [
    'collection-placements',
    'collection_placement',
    'Place the loan in collection: with an outside agency (`agency`) or the servicer’s own collections; ' +
      'credit reporting shows it as Metro 2 status 93 while a balance is owed',
  ],
  [
    'collection-recalls',
    'collection_recall',
    'Recall the loan from collection (ends the placement in force)',
  ],
  [
    'repossessions',
    'repossession',
    'Record the collateral’s repossession (Metro 2 status 96; 63 once paid in full). No money moves: the sale’s ' +
      'proceeds are a payment, the deficiency is paid, waived or charged off',
  ],
  [
    'surrenders',
    'surrender',
    'Record the collateral’s voluntary surrender (Metro 2 status 95; 61 once paid in full). No money moves',
  ],
  [
    'reinstatements',
    'reinstatement',
    'Reinstate a loan whose collateral was taken back (the borrower brought it current and has it again): ' +
      'reported by its days past due again',
  ],
];

/**
 * A loan's servicing status (collections, repossession, surrender): `GET /v1/loans/{id}/servicing-status` and one
 * POST per change. Each change honours If-Match and moves the loan to a new version (its ETag). Not under an
 * Idempotency-Key: no money moves, and repeating a change is refused by the state it made (409).
 */
export const servicingStatusRoutes: FastifyPluginAsyncZod<{ statuses: ServicingStatusService }> = async (
  app,
  { statuses },
) => {
  app.get(
    '/v1/loans/:id/servicing-status',
    {
      schema: {
        tags: ['loans'],
        summary:
          'The loan’s servicing status on the business date (collection placement, collateral recovered) and its ' +
          'history',
        params: idParams,
        response: { 200: statusOut },
      },
    },
    async (req, reply) => {
      const v = unwrap(await statuses.view(scopeOf(req), req.params.id));
      reply.header('etag', etagOf(v.loan.version));
      return statusJson(v);
    },
  );

  for (const [path, action, summary] of CHANGES)
    app.post(
      `/v1/loans/:id/${path}`,
      {
        schema: {
          tags: ['loans'],
          summary,
          params: idParams,
          headers: ifMatchHeaders,
          response: { 201: statusOut },
          body: (action === 'collection_placement'
            ? z.strictObject({ ...effective, agency: z.string().trim().min(1).max(100).optional() })
            : z.strictObject(effective)
          ).nullish(),
        },
      },
      async (req, reply) => {
        const body = req.body as { effective_date?: string; agency?: string } | null | undefined;
        const precondition = unwrap(parseIfMatch(req.headers['if-match']));
        const v = unwrap(
          await statuses.change(
            scopeOf(req),
            req.params.id,
            {
              action,
              ...(body?.effective_date && {
                effectiveDate: body.effective_date as StatusView['businessDate'],
              }),
              ...(body?.agency && { agency: body.agency }),
            },
            precondition,
          ),
        );
        reply.header('etag', etagOf(v.loan.version));
        return reply.code(201).send(statusJson(v));
      },
    );
};
