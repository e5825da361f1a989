import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { failure, raise, unwrap } from '../../../kernel/result.js';
import { readUpload } from '../../../kernel/upload.js';
import { fieldIssues } from '../../../kernel/validation.js';
import { scopeOf } from '../../tenancy/index.js';
import { countsJson } from '../ingest/json.js';
import { importOut } from '../responses.js';
import type { ImportResult, ImportService } from './service.js';

const fieldsSchema = z.strictObject({
  customer_id: z.string().min(1),
  provider: z.string().min(1).max(64).optional(),
  provider_config_id: z.string().optional(),
});

const importJson = (r: ImportResult) => ({
  id: r.id,
  provider_slug: r.provider,
  connection_id: r.connectionId,
  customer_id: r.customerId,
  file_format: r.fileFormat,
  statements: r.statements,
  ...countsJson(r),
  message: r.message,
  warnings: r.warnings,
});

/**
 * `POST /v1/imports`, multipart: the statement in `file`, the customer in `customer_id` (and optionally the
 * file-import `provider`, default `chase_file`). Over PLINTH_UPLOAD_LIMIT_BYTES: 413. Not a format the provider
 * reads: 415. A malformed or truncated file: 400 naming the line and element. The institution's error response
 * instead of a statement: 422 with its status. In every failure nothing is written.
 */
export const importRoutes: FastifyPluginAsyncZod<{
  imports: ImportService;
  uploadLimitBytes: number;
}> = async (app, { imports, uploadLimitBytes }) => {
  // Registered here, not on the app: its hooks then run for this route only, not on every request.
  await app.register(multipart, { limits: { fileSize: uploadLimitBytes, files: 1, fields: 10 } });
  app.post(
    '/v1/imports',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Import a statement file (OFX / QFX) for a customer; all or nothing',
        description:
          'multipart/form-data with `file` (the statement), `customer_id`, and optionally `provider` (a file-import ' +
          'provider, default `chase_file`) and `provider_config_id`. 413 over the upload limit, 415 for another ' +
          'format, 400 naming the line and element of a malformed file, 422 `ofx_institution_error` (with ' +
          "`institution_code` and `institution_message`) for an institution's error response. `warnings` in " +
          'the result lists what did not stop the import (unreadable sign-on metadata, an institution warning).',
        consumes: ['multipart/form-data'],
        response: { 201: importOut },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        return raise(
          failure(
            'unsupported_media',
            'multipart_required',
            'send the file as multipart/form-data (field "file")',
          ),
        );
      const { file, fields } = await readUpload(req.parts(), 'file');
      const parsed = fieldsSchema.safeParse(fields);
      if (!parsed.success)
        return raise(
          failure('invalid', 'validation_failed', 'the multipart fields are not valid', {
            fields: fieldIssues(parsed.error),
          }),
        );
      if (!file)
        return raise(
          failure('invalid', 'validation_failed', 'file: the statement file is missing', {
            fields: [{ path: 'file', message: 'required' }],
          }),
        );
      const result = unwrap(
        await imports.importFile(scopeOf(req), {
          customerId: parsed.data.customer_id,
          provider: parsed.data.provider,
          providerConfigId: parsed.data.provider_config_id,
          fileName: file.name,
          bytes: file.bytes,
        }),
      );
      return reply.code(201).send(importJson(result));
    },
  );
};
