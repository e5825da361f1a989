import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, OWNER_TYPES } from '../domain/policy.js';
import type { PresignedRequest } from '../domain/storage.js';
import { documentOut, presignedOut } from '../responses.js';
import { DOWNLOAD_URL_SECONDS, type Document } from './model.js';
import type { DocumentService } from './service.js';

export const documentJson = (d: Document) => ({
  id: d.id,
  owner_type: d.ownerType,
  owner_id: d.ownerId,
  kind: d.kind,
  filename: d.filename,
  content_type: d.contentType,
  size: d.sizeBytes,
  sha256: d.sha256,
  status: d.status,
  provider_config_id: d.providerConfigId,
  provider_key: d.providerKey,
  upload_expires_at: d.uploadExpiresAt?.toISOString() ?? null,
  created_at: d.createdAt.toISOString(),
  stored_at: d.storedAt?.toISOString() ?? null,
  deleted_at: d.deletedAt?.toISOString() ?? null,
});

const requestJson = (r: PresignedRequest) => ({
  method: r.method,
  url: r.url,
  headers: r.headers,
  expires_at: r.expiresAt.toISOString(),
});

const uploadBody = z
  .strictObject({
    owner_type: z.enum(OWNER_TYPES),
    owner_id: z.uuid().nullish(),
    kind: z.enum(DOCUMENT_KINDS),
    filename: z.string().trim().min(1).max(255).nullish(),
    // Checked against the tenant's allow list by the service (415), so any media type is well-formed here.
    content_type: z.string().trim().min(3).max(255),
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the hex SHA-256 of the file'),
  })
  .refine((b) => (b.owner_type === 'tenant') === !b.owner_id, {
    path: ['owner_id'],
    message: 'required for customer and loan owners, absent for the tenant',
  });

const idParams = z.object({ id: z.string() });

export const documentRoutes: FastifyPluginAsyncZod<{ documents: DocumentService }> = async (
  app,
  { documents },
) => {
  app.post(
    '/v1/documents/uploads',
    {
      schema: {
        tags: ['documents'],
        summary: 'Register a document and get a presigned upload URL (PUT the file there, then confirm)',
        response: { 201: z.object({ document: documentOut, upload: presignedOut }) },
        body: uploadBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = unwrap(
        await documents.requestUpload(scopeOf(req), {
          owner: { type: b.owner_type, id: b.owner_id ?? null },
          kind: b.kind,
          filename: b.filename,
          contentType: b.content_type,
          size: b.size,
          sha256: b.sha256,
        }),
      );
      return reply.code(201).send({ document: documentJson(r.document), upload: requestJson(r.upload) });
    },
  );

  app.post(
    '/v1/documents/:id/confirm',
    {
      schema: {
        tags: ['documents'],
        summary: 'Confirm an upload: stored only when the object has the declared size and SHA-256',
        response: { 200: documentOut },
        params: idParams,
      },
    },
    async (req) => documentJson(unwrap(await documents.confirm(scopeOf(req), req.params.id))),
  );

  app.get(
    '/v1/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'List documents, newest first',
        response: { 200: pageOf(documentOut) },
        querystring: z.strictObject({
          ...pageQuery,
          owner_type: z.enum(OWNER_TYPES).optional(),
          owner_id: z.string().optional(),
          kind: z.enum(DOCUMENT_KINDS).optional(),
          status: z.enum(DOCUMENT_STATUSES).optional(),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await documents.list(scopeOf(req), {
        ownerType: q.owner_type,
        ownerId: q.owner_id,
        kind: q.kind,
        status: q.status,
        limit: q.limit,
        before: q.before,
      });
      return pageJson(rows, q.limit, documentJson);
    },
  );

  app.get(
    '/v1/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: 'Get a document',
        params: idParams,
        response: { 200: documentOut },
      },
    },
    async (req) => documentJson(unwrap(await documents.get(scopeOf(req), req.params.id))),
  );

  app.get(
    '/v1/documents/:id/download-url',
    {
      schema: {
        tags: ['documents'],
        summary: 'A presigned download URL for a stored document',
        response: { 200: presignedOut },
        params: idParams,
        querystring: z.strictObject({
          expires_in: z.coerce
            .number()
            .int()
            .min(DOWNLOAD_URL_SECONDS.min)
            .max(DOWNLOAD_URL_SECONDS.max)
            .default(DOWNLOAD_URL_SECONDS.default),
        }),
      },
    },
    async (req) =>
      requestJson(unwrap(await documents.downloadUrl(scopeOf(req), req.params.id, req.query.expires_in))),
  );

  app.delete(
    '/v1/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: 'Delete a document (the stored object is removed)',
        response: { 200: documentOut },
        params: idParams,
      },
    },
    async (req) => documentJson(unwrap(await documents.delete(scopeOf(req), req.params.id))),
  );
};
