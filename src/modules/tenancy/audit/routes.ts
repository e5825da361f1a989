import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { anyObject, instant, pageOf } from '../../../kernel/responses.js';
import { scopeOf } from '../domain/principal.js';
import type { AuditRow } from '../tables.js';
import type { AuditService } from './service.js';

const auditJson = (r: AuditRow) => ({
  id: r.id,
  occurred_at: r.occurredAt.toISOString(),
  actor: { type: r.actorType, id: r.actorId },
  action: r.action,
  entity_type: r.entityType,
  entity_id: r.entityId,
  changes: r.changes,
  request_id: r.requestId,
});

const auditEntry = z.object({
  id: z.string(),
  occurred_at: instant,
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string().nullable(),
  changes: anyObject,
  request_id: z.string().nullable(),
});

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/v1/audit-log',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tenancy'],
        summary: 'The append-only audit log, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          entity_type: z.string().optional(),
          entity_id: z.string().optional(),
        }),
        response: { 200: pageOf(auditEntry) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await audit.list(scopeOf(req), {
        limit: q.limit,
        before: q.before,
        entityType: q.entity_type,
        entityId: q.entity_id,
      });
      return pageJson(rows, q.limit, auditJson);
    },
  );
};
