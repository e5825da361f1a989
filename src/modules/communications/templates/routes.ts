import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { renderLetterPdf } from '../domain/letter-pdf.js';
import { CHANNELS, type Rendered } from '../domain/templates/definition.js';
import { renderedOut, templateOut } from '../responses.js';
import type { Template, TemplateService } from './service.js';

const content = z.strictObject({
  email: z
    .strictObject({
      subject: z.string().min(1).max(998),
      html: z.string().min(1).max(100_000),
      text: z.string().min(1).max(100_000),
    })
    .optional(),
  sms: z.strictObject({ body: z.string().min(1).max(1600) }).optional(),
  letter: z.strictObject({ body: z.string().min(1).max(100_000) }).optional(),
});

const keyParams = z.object({ key: z.string() });

const templateJson = (t: Template) => ({
  key: t.definition.key,
  name: t.definition.name,
  description: t.definition.description,
  channels: CHANNELS.filter((c) => t.content[c] !== undefined),
  overridden_channels: t.overridden,
  variables: t.definition.variables,
  sample_variables: t.definition.sample,
  content: t.content,
});

export const renderedJson = (r: Rendered) => r;

export const templateRoutes: FastifyPluginAsyncZod<{ templates: TemplateService }> = async (
  app,
  { templates },
) => {
  app.get(
    '/v1/templates',
    {
      schema: {
        tags: ['communications'],
        summary: 'Every template, with the tenant’s overrides applied',
        response: { 200: listOf(templateOut) },
      },
    },
    async (req) => ({ data: (await templates.list(scopeOf(req).tenantId)).map(templateJson) }),
  );

  app.get(
    '/v1/templates/:key',
    {
      schema: {
        tags: ['communications'],
        summary: 'A template: its variables and content',
        response: { 200: templateOut },
        params: keyParams,
      },
    },
    async (req) => templateJson(unwrap(await templates.get(scopeOf(req).tenantId, req.params.key))),
  );

  app.put(
    '/v1/templates/:key',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['communications'],
        summary: 'Override a template’s content for the channels given (each field must parse)',
        response: { 200: templateOut },
        params: keyParams,
        body: content,
      },
    },
    async (req) => templateJson(unwrap(await templates.put(scopeOf(req), req.params.key, req.body))),
  );

  app.delete(
    '/v1/templates/:key',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['communications'],
        summary: 'Back to the built-in content',
        params: keyParams,
        response: { 200: templateOut },
      },
    },
    async (req) => templateJson(unwrap(await templates.reset(scopeOf(req), req.params.key))),
  );

  app.post(
    '/v1/templates/:key/preview',
    {
      schema: {
        tags: ['communications'],
        summary:
          'Render a template (saved, or the content given) with variables, or its sample; letters as PDF',
        response: {
          200: renderedOut.describe(
            'the rendered content (format=json), or the letter as a PDF (format=pdf)',
          ),
        },
        params: keyParams,
        querystring: z.strictObject({ format: z.enum(['json', 'pdf']).default('json') }),
        body: z.strictObject({
          channel: z.enum(CHANNELS),
          variables: z.record(z.string(), z.unknown()).optional(),
          content: content.optional(),
        }),
      },
    },
    async (req, reply) => {
      const { tenantId } = scopeOf(req);
      const t = unwrap(await templates.get(tenantId, req.params.key));
      const variables = req.body.variables ?? t.definition.sample;
      const rendered = unwrap(
        await templates.render(tenantId, req.params.key, req.body.channel, variables, req.body.content),
      );
      if (req.query.format === 'pdf' && rendered.channel === 'letter') {
        const pdf = await renderLetterPdf({
          body: rendered.body,
          sender: 'Preview',
          title: t.definition.name,
        });
        // Bytes are sent as they are (the response schema types the JSON answer; a Buffer is never serialized).
        return reply.type('application/pdf').send(Buffer.from(pdf) as never);
      }
      return rendered;
    },
  );
};
