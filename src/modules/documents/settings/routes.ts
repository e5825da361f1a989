import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../tenancy/index.js';
import { CONTENT_TYPE_RE, type DocumentPolicy, MAX_DOCUMENT_BYTES } from '../domain/policy.js';
import { policyOut } from '../responses.js';
import type { DocumentSettingsService } from './service.js';

const settingsBody = z.strictObject({
  max_bytes: z.number().int().min(1).max(MAX_DOCUMENT_BYTES),
  allowed_content_types: z
    .array(
      z.string().trim().toLowerCase().regex(CONTENT_TYPE_RE, 'must be a media type such as application/pdf'),
    )
    .min(1)
    .max(100),
});

const json = (p: DocumentPolicy) => ({
  max_bytes: p.maxBytes,
  allowed_content_types: p.allowedContentTypes,
});

export const documentSettingsRoutes: FastifyPluginAsyncZod<{ settings: DocumentSettingsService }> = async (
  app,
  { settings },
) => {
  app.get(
    '/v1/documents/settings',
    {
      schema: {
        tags: ['documents'],
        summary: "The tenant's upload policy (largest document, allowed types)",
        response: { 200: policyOut },
      },
    },
    async (req) => json(await settings.policy(scopeOf(req).tenantId)),
  );

  app.put(
    '/v1/documents/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['documents'],
        summary: "Set the tenant's upload policy",
        body: settingsBody,
        response: { 200: policyOut },
      },
    },
    async (req) =>
      json(
        await settings.update(scopeOf(req), {
          maxBytes: req.body.max_bytes,
          allowedContentTypes: req.body.allowed_content_types,
        }),
      ),
  );
};
