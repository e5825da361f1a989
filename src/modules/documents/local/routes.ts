import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { failure, raise, unwrap } from '../../../kernel/result.js';
import { attachmentDisposition } from '../domain/disposition.js';
import { storageKey } from '../domain/policy.js';
import { LOCAL_ROUTE, LocalStorage } from '../providers/local/client.js';
import { storageFailure } from '../records/model.js';
import { documentJson } from '../records/routes.js';
import type { DocumentService } from '../records/service.js';
import { documentOut } from '../responses.js';

const params = z.object({ tenantId: z.string(), documentId: z.string() });
// The signed URL's query (signing.ts): each named, so the OpenAPI document lists them as parameters.
const query = z.object({
  op: z.string().optional(),
  expires: z.string().optional(),
  type: z.string().optional(),
  size: z.string().optional(),
  signature: z.string().optional(),
});

const denied = (reason: 'invalid_signature' | 'expired') =>
  raise(
    reason === 'expired'
      ? failure('forbidden', 'url_expired', 'this URL has expired')
      : failure('forbidden', 'invalid_signature', 'this URL is not valid'),
  );

/**
 * The local store's URLs (`/v1/documents/local/<tenant>/<document>?op&expires&...&signature`), public: the
 * signature is the authorisation. Whatever is wrong with a URL (no such document, another store, a tampered or
 * expired signature) is a 403 that says nothing more. Registered as its own plugin: its raw-body parser (up to
 * the upload limit) applies to these routes only.
 */
export const localFileRoutes: FastifyPluginAsyncZod<{
  documents: DocumentService;
  uploadLimitBytes: number;
}> = async (app, { documents, uploadLimitBytes }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: uploadLimitBytes }, (_req, body, done) =>
    done(null, body),
  );

  async function target(p: z.infer<typeof params>, q: z.infer<typeof query>, op: 'put' | 'get') {
    const found = await documents.byKey(p.tenantId, p.documentId);
    const storage = found?.provider.instance;
    if (!found || !(storage instanceof LocalStorage)) return denied('invalid_signature');
    const verified = storage.verify(storageKey(p.tenantId, p.documentId), q);
    if (!verified.ok) return denied(verified.reason);
    if (verified.params.op !== op) return denied('invalid_signature');
    return { ...found, storage };
  }

  app.put(
    `${LOCAL_ROUTE}/:tenantId/:documentId`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['documents'],
        summary: 'Upload to a local-store URL (signed; the body is the file)',
        response: { 200: documentOut },
        params,
        querystring: query,
      },
    },
    async (req) => {
      const t = await target(req.params, req.query, 'put');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return documentJson(
        unwrap(await documents.receiveLocalUpload(t.document, body, req.headers['content-type'])),
      );
    },
  );

  app.get(
    `${LOCAL_ROUTE}/:tenantId/:documentId`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['documents'],
        summary: 'Download from a local-store URL (signed)',
        produces: ['application/octet-stream'],
        response: { 200: z.unknown().describe('the file, with its content type') },
        params,
        querystring: query,
      },
    },
    async (req, reply) => {
      const t = await target(req.params, req.query, 'get');
      if (t.document.status !== 'stored')
        return raise(failure('not_found', 'document_not_stored', `the document is ${t.document.status}`));
      let bytes: Uint8Array | undefined;
      try {
        bytes = await t.storage.get(t.document.storageKey);
      } catch (e) {
        return raise(storageFailure(e));
      }
      if (!bytes) return raise(failure('not_found', 'document_missing', 'the stored file is missing'));
      return reply
        .header('content-type', t.document.contentType)
        .header('content-disposition', attachmentDisposition(t.document.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(bytes));
    },
  );
};
