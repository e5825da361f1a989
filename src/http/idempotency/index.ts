import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../kernel/db.js';
import { stableStringify } from '../../kernel/json.js';
import { problemOf, sendProblem } from '../errors.js';
import * as store from './store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Accept an Idempotency-Key header (POSTs that move money). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` for money-moving POSTs. The same key with the same request returns the stored response; with a
 * different request it is a 422; while the first is still running, a 409. Responses of 5xx are not stored, so a
 * retry after a server-side failure runs again.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.addHook('preHandler', async (req, reply) => {
    if (!req.routeOptions.config.idempotent) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    const tenantId = req.principal?.kind === 'api_key' ? req.principal.tenantId : undefined;
    if (!tenantId) return;
    if (typeof key !== 'string' || !KEY_RE.test(key)) {
      return sendProblem(
        reply,
        req,
        problemOf({
          kind: 'invalid',
          code: 'invalid_idempotency_key',
          message: 'Idempotency-Key must be 1-255 printable ASCII characters',
          fields: [{ path: 'headers.idempotency-key', message: 'invalid' }],
        }),
      );
    }
    const hash = createHash('sha256')
      .update(`${req.method} ${req.url}\n${stableStringify(req.body ?? null)}`)
      .digest('hex');
    const held = await store.claim(db, tenantId, key, hash);
    if (!held) {
      req.idempotencyKey = key;
      return;
    }
    if (held.requestHash !== hash) {
      return sendProblem(
        reply,
        req,
        problemOf({
          kind: 'unprocessable',
          code: 'idempotency_key_reused',
          message: 'this Idempotency-Key was used with a different request',
        }),
      );
    }
    if (held.state === 'in_progress') {
      return sendProblem(
        reply,
        req,
        problemOf({
          kind: 'conflict',
          code: 'idempotency_key_in_progress',
          message: 'the original request is still running',
        }),
      );
    }
    return reply
      .code(held.responseStatus ?? 200)
      .header('idempotent-replayed', 'true')
      .type((held.responseStatus ?? 200) >= 400 ? 'application/problem+json' : 'application/json')
      .send(held.responseBody ?? '');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key || req.principal?.kind !== 'api_key') return payload;
    if (reply.statusCode >= 500) await store.release(db, req.principal.tenantId, key);
    else
      await store.complete(
        db,
        req.principal.tenantId,
        key,
        reply.statusCode,
        typeof payload === 'string' ? payload : String(payload ?? ''),
      );
    return payload;
  });
}
