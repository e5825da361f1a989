import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instant } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { ROLES, scopeOf } from '../domain/principal.js';
import type { SignInLinkService } from './service.js';

/** Console sign-in links: an admin creates one; the console exchanges it, once, for an expiring API key. */
export const signInLinkRoutes: FastifyPluginAsyncZod<{ links: SignInLinkService }> = async (
  app,
  { links },
) => {
  app.post(
    '/v1/console/sign-in-links',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tenancy'],
        summary:
          'Create a single-use console sign-in link (five minutes); open /console/sign-in#<token> to use it',
        body: z.strictObject({ role: z.enum(ROLES).default('viewer') }),
        response: {
          201: z.object({ token: z.string(), path: z.string(), role: z.enum(ROLES), expires_at: instant }),
        },
      },
    },
    async (req, reply) => {
      const { token, expiresAt } = await links.create(scopeOf(req), req.body.role);
      return reply.code(201).send({
        token,
        path: `/console/sign-in#${token}`,
        role: req.body.role,
        expires_at: expiresAt.toISOString(),
      });
    },
  );

  app.post(
    '/v1/console/sessions',
    {
      config: { access: 'public' },
      schema: {
        tags: ['tenancy'],
        summary:
          'Exchange a console sign-in link’s token for an API key of its role that expires in eight hours (once)',
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: {
          201: z.object({
            api_key: z.string(),
            role: z.enum(ROLES),
            tenant_id: z.string(),
            expires_at: instant,
          }),
        },
      },
    },
    async (req, reply) => {
      const s = unwrap(await links.redeem(req.body.token));
      return reply.code(201).send({
        api_key: s.apiKey,
        role: s.role,
        tenant_id: s.tenantId,
        expires_at: s.expiresAt.toISOString(),
      });
    },
  );
};
