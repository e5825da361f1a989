import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { definedOnly } from '../../../kernel/json.js';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { calendarDate, instant, pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../domain/principal.js';
import { checkTaxId, maskTaxId } from '../domain/tax-id.js';
import { timeZoneSchema } from '../domain/time-zone.js';
import type { Customer, CustomerInput, CustomerService } from './service.js';

const addressSchema = z.strictObject({
  lines: z.array(z.string().min(1).max(200)).min(1).max(4),
  city: z.string().min(1).max(100),
  state: z.string().min(1).max(100).nullish(),
  postal_code: z.string().min(1).max(20).nullish(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. US'),
});

const customerFields = {
  external_ref: z.string().min(1).max(128).nullish(),
  legal_name: z.string().trim().min(1).max(200),
  email: z.email().max(254).nullish(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, 'must be E.164, e.g. +14155550123')
    .nullish(),
  address: addressSchema.nullish(),
  date_of_birth: dateSchema.nullish(),
  time_zone: timeZoneSchema.nullish(),
  covered_military_borrower: z.boolean().optional(),
  active_duty_start_date: dateSchema.nullish(),
  /** Write-only: sealed at once; responses carry `tax_id_masked` (last four digits) and never the number. */
  tax_id: z
    .string()
    .max(11)
    .superRefine((v, ctx) => {
      const checked = checkTaxId(v);
      if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.message });
    })
    .nullish()
    .describe('The SSN (nine digits, dashes optional); write-only, returned masked as tax_id_masked'),
};

const customerCreate = z.strictObject(customerFields);
const customerPatch = z.strictObject(customerFields).partial();

type CustomerBody = z.infer<typeof customerPatch>;

function customerInput(b: CustomerBody): Partial<CustomerInput> {
  return definedOnly({
    externalRef: b.external_ref,
    legalName: b.legal_name,
    email: b.email,
    phone: b.phone,
    address: b.address && {
      ...b.address,
      state: b.address.state ?? null,
      postal_code: b.address.postal_code ?? null,
    },
    dateOfBirth: b.date_of_birth,
    timeZone: b.time_zone,
    coveredMilitaryBorrower: b.covered_military_borrower,
    activeDutyStartDate: b.active_duty_start_date,
    taxId: b.tax_id,
  });
}

export const customerJson = (c: Customer) => ({
  id: c.id,
  external_ref: c.externalRef,
  legal_name: c.legalName,
  email: c.email,
  phone: c.phone,
  address: c.address,
  date_of_birth: c.dateOfBirth,
  time_zone: c.timeZone,
  covered_military_borrower: c.coveredMilitaryBorrower,
  active_duty_start_date: c.activeDutyStartDate,
  tax_id_masked: c.taxIdLast4 ? maskTaxId(c.taxIdLast4) : null,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

const customerOut = z.object({
  id: z.string(),
  external_ref: z.string().nullable(),
  legal_name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z
    .object({
      lines: z.array(z.string()),
      city: z.string(),
      state: z.string().nullable(),
      postal_code: z.string().nullable(),
      country: z.string(),
    })
    .nullable(),
  date_of_birth: calendarDate.nullable(),
  time_zone: z.string().nullable(),
  covered_military_borrower: z.boolean(),
  active_duty_start_date: calendarDate.nullable(),
  tax_id_masked: z.string().nullable().describe('The tax id masked to its last four digits: ***-**-6789'),
  created_at: instant,
  updated_at: instant,
});

const idParams = z.object({ id: z.string() });

export const customerRoutes: FastifyPluginAsyncZod<{ customers: CustomerService }> = async (
  app,
  { customers },
) => {
  app.post(
    '/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Create a customer (borrower or cardholder)',
        body: customerCreate,
        response: { 201: customerOut },
      },
    },
    async (req, reply) => {
      const input = { ...customerInput(req.body), legalName: req.body.legal_name };
      return reply.code(201).send(customerJson(unwrap(await customers.create(scopeOf(req), input))));
    },
  );

  app.get(
    '/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'List customers, newest first',
        querystring: z.strictObject({ ...pageQuery, q: z.string().trim().min(1).max(200).optional() }),
        response: { 200: pageOf(customerOut) },
      },
    },
    async (req) => {
      const rows = await customers.list(scopeOf(req), req.query);
      return pageJson(rows, req.query.limit, customerJson);
    },
  );

  app.get(
    '/v1/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Get a customer',
        params: idParams,
        response: { 200: customerOut },
      },
    },
    async (req) => customerJson(unwrap(await customers.get(scopeOf(req), req.params.id))),
  );

  app.patch(
    '/v1/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Update a customer',
        params: idParams,
        body: customerPatch,
        response: { 200: customerOut },
      },
    },
    async (req) =>
      customerJson(unwrap(await customers.update(scopeOf(req), req.params.id, customerInput(req.body)))),
  );
};
