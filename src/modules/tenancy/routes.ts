import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema, isTimeZone } from '../../kernel/dates.js';
import type { Db } from '../../kernel/db.js';
import { definedOnly } from '../../kernel/json.js';
import { unwrap } from '../../kernel/result.js';
import { listAudit } from './audit.js';
import type { Customer, CustomerInput, CustomerService } from './customers.js';
import { ROLES, scopeOf } from './principal.js';
import type { TenantRow } from './store.js';
import type { TenantService } from './tenants.js';

const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. America/New_York' });

const tenantJson = (t: TenantRow) => ({
  id: t.id,
  name: t.name,
  status: t.status,
  time_zone: t.timeZone,
  created_at: t.createdAt.toISOString(),
});

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
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

const idParams = z.object({ id: z.string() });
const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().optional(),
});

export const tenancyRoutes: FastifyPluginAsyncZod<{
  tenants: TenantService;
  customers: CustomerService;
  db: Db;
}> = async (app, { tenants, customers, db }) => {
  app.post(
    '/v1/tenants',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['tenancy'],
        summary: 'Create a tenant and its first admin API key (platform admin token)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          time_zone: timeZoneSchema.optional(),
        }),
      },
    },
    async (req, reply) => {
      const { tenant, apiKey } = await tenants.createTenant(
        { name: req.body.name, timeZone: req.body.time_zone },
        'platform_admin',
      );
      return reply.code(201).send({ tenant: tenantJson(tenant), api_key: apiKey });
    },
  );

  app.get(
    '/v1/tenant',
    { schema: { tags: ['tenancy'], summary: 'The calling key’s tenant' } },
    async (req) => {
      const tenant = await tenants.getTenant(scopeOf(req).tenantId);
      return tenantJson(tenant!);
    },
  );

  app.post(
    '/v1/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tenancy'],
        summary: 'Create an API key (shown once)',
        body: z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }),
      },
    },
    async (req, reply) => {
      const { apiKey, view } = await tenants.createApiKey(scopeOf(req), req.body);
      return reply.code(201).send({ ...apiKeyJson(view), api_key: apiKey });
    },
  );

  app.get(
    '/v1/api-keys',
    { config: { access: 'admin' }, schema: { tags: ['tenancy'], summary: 'List API keys' } },
    async (req) => ({ data: (await tenants.listApiKeys(scopeOf(req))).map(apiKeyJson) }),
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['tenancy'], summary: 'Revoke an API key', params: idParams },
    },
    async (req) => apiKeyJson(unwrap(await tenants.revokeApiKey(scopeOf(req), req.params.id))),
  );

  app.get(
    '/v1/audit-log',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tenancy'],
        summary: 'The append-only audit log, newest first',
        querystring: pageQuery.extend({
          entity_type: z.string().optional(),
          entity_id: z.string().optional(),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await listAudit(db, scopeOf(req), {
        limit: q.limit,
        before: q.before,
        entityType: q.entity_type,
        entityId: q.entity_id,
      });
      return {
        data: rows.map((r) => ({
          id: r.id,
          occurred_at: r.occurredAt.toISOString(),
          actor: { type: r.actorType, id: r.actorId },
          action: r.action,
          entity_type: r.entityType,
          entity_id: r.entityId,
          changes: r.changes,
          request_id: r.requestId,
        })),
        next_before: rows.length === q.limit ? rows.at(-1)!.id : null,
      };
    },
  );

  app.post(
    '/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Create a customer (borrower or cardholder)',
        body: customerCreate,
      },
    },
    async (req, reply) => {
      const input = { ...customerInput(req.body), legalName: req.body.legal_name };
      return reply.code(201).send(customerJson(unwrap(await customers.create(scopeOf(req), input))));
    },
  );

  app.get(
    '/v1/customers',
    { schema: { tags: ['customers'], summary: 'List customers, newest first', querystring: pageQuery } },
    async (req) => {
      const rows = await customers.list(scopeOf(req), req.query);
      return {
        data: rows.map(customerJson),
        next_before: rows.length === req.query.limit ? rows.at(-1)!.id : null,
      };
    },
  );

  app.get(
    '/v1/customers/:id',
    { schema: { tags: ['customers'], summary: 'Get a customer', params: idParams } },
    async (req) => customerJson(unwrap(await customers.get(scopeOf(req), req.params.id))),
  );

  app.patch(
    '/v1/customers/:id',
    { schema: { tags: ['customers'], summary: 'Update a customer', params: idParams, body: customerPatch } },
    async (req) =>
      customerJson(unwrap(await customers.update(scopeOf(req), req.params.id, customerInput(req.body)))),
  );
};

const apiKeyJson = (k: Awaited<ReturnType<TenantService['listApiKeys']>>[number]) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  created_by: k.createdBy,
  created_at: k.createdAt.toISOString(),
  revoked_at: k.revokedAt?.toISOString() ?? null,
});
