import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instant, listOf } from '../../../kernel/responses.js';
import { failure, raise, unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import type { OfacList, OfacService } from './service.js';

const listJson = (l: OfacList) => ({
  id: l.id,
  status: l.status,
  source: l.source,
  entries: l.entries,
  aliases: l.aliases,
  sdn_sha256: l.sdnSha256,
  loaded_at: l.loadedAt.toISOString(),
});

const listOut = z.object({
  id: z.string(),
  status: z.enum(['active', 'superseded']),
  source: z.string().nullable(),
  entries: z.number().int(),
  aliases: z.number().int(),
  sdn_sha256: z.string(),
  loaded_at: instant,
});

const FILES = ['sdn', 'alt'] as const;

/** UTF-8 when the bytes are valid UTF-8; otherwise Windows-1252, the legacy files' older encoding. */
function text(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * `POST /v1/compliance/ofac-lists`, multipart: OFAC's `sdn` file (sdn.csv) and optionally `alt` (alt.csv), and a
 * `source` note. The upload is parsed whole first: a file that does not parse is a 422 naming the file and line,
 * and the previous list stays active.
 */
export const ofacRoutes: FastifyPluginAsyncZod<{ ofac: OfacService; uploadLimitBytes: number }> = async (
  app,
  { ofac, uploadLimitBytes },
) => {
  await app.register(multipart, { limits: { fileSize: uploadLimitBytes, files: 2, fields: 5 } });

  app.post(
    '/v1/compliance/ofac-lists',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['compliance'],
        summary:
          'Load an OFAC SDN list (sdn.csv, alt.csv); it replaces the active list only if it parses whole',
        consumes: ['multipart/form-data'],
        response: { 201: listOut },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        return raise(
          failure(
            'unsupported_media',
            'multipart_required',
            'send the files as multipart/form-data (sdn, alt)',
          ),
        );
      const files: Partial<Record<(typeof FILES)[number], string>> = {};
      let source: string | undefined;
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer();
          if ((FILES as readonly string[]).includes(part.fieldname))
            files[part.fieldname as (typeof FILES)[number]] = text(bytes);
        } else if (part.fieldname === 'source') source = String(part.value).slice(0, 200);
      }
      if (files.sdn === undefined)
        return raise(
          failure('invalid', 'validation_failed', 'sdn: the sdn.csv file is missing', {
            fields: [{ path: 'sdn', message: 'required' }],
          }),
        );
      const list = unwrap(await ofac.upload(scopeOf(req), { sdn: files.sdn, alt: files.alt, source }));
      return reply.code(201).send(listJson(list));
    },
  );

  app.get(
    '/v1/compliance/ofac-lists',
    {
      schema: {
        tags: ['compliance'],
        summary: 'The SDN lists loaded, newest first (the active one and those it superseded)',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: listOf(listOut) },
      },
    },
    async (req) => ({ data: (await ofac.list(scopeOf(req), req.query.limit)).map(listJson) }),
  );
};
