import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../kernel/db.js';
import {
  answerFor,
  claim,
  complete,
  type IdempotencyKey,
  release,
  type StoredResponse,
} from '../../kernel/idempotency.js';
import { stableStringify } from '../../kernel/json.js';
import type { Failure } from '../../kernel/result.js';
import { problemOf, sendProblem } from '../errors.js';
import { addRouteHook } from '../route-hooks.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Accept an Idempotency-Key header (POSTs that move money). `true`: the key is claimed before the handler and
     * completed after it. `'in_transaction'`: the route's own write stores the completed key (one statement, no
     * extra round trip); the route gets the key in `req.idempotency`.
     */
    idempotent?: boolean | 'in_transaction';
  }
  interface FastifyRequest {
    idempotencyKey?: string;
    /** On `idempotent: 'in_transaction'` routes, when the request carries a valid key. */
    idempotency?: KeyedRequest;
  }
}

/** What an `in_transaction` route gets: the key, and how to render and send what it stores with its write. */
export interface KeyedRequest extends IdempotencyKey {
  /** The stored form of a failure: exactly the problem the error handler would send for it. */
  problem(f: Failure): StoredResponse;
  /** Sends a response stored with the key (`replayed`: stored by an earlier request). */
  send(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply;
}

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

function sendStored(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply {
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply
    .code(response.status)
    .type(response.status >= 400 ? 'application/problem+json' : 'application/json')
    .send(response.body);
}

const keyed = (req: FastifyRequest, key: string, requestHash: string): KeyedRequest => ({
  key,
  requestHash,
  problem: (f) => {
    const p = problemOf(f);
    return { status: p.status, body: JSON.stringify({ ...p, instance: req.url, request_id: req.id }) };
  },
  send: sendStored,
});

/**
 * `Idempotency-Key` for money-moving POSTs. The same key with the same request returns the stored response; with a
 * different request it is a 422; while the first is still running, a 409. Responses of 5xx are not stored, so a
 * retry after a server-side failure runs again.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  // Only the routes that accept a key carry these hooks.
  app.addHook('onRoute', (route) => {
    const mode = route.config?.idempotent;
    if (!mode) return;
    addRouteHook(route, 'preHandler', claimKey);
    if (mode === true) addRouteHook(route, 'onSend', completeKey);
  });

  async function claimKey(req: FastifyRequest, reply: FastifyReply) {
    const mode = req.routeOptions.config.idempotent;
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
    if (mode === 'in_transaction') {
      req.idempotency = keyed(req, key, hash);
      return;
    }
    const held = await claim(db, tenantId, key, hash);
    if (!held) {
      req.idempotencyKey = key;
      return;
    }
    const answer = answerFor(held, hash);
    if (!answer.ok) return sendProblem(reply, req, problemOf(answer.error));
    return sendStored(reply, answer.value, true);
  }

  async function completeKey(req: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const key = req.idempotencyKey;
    if (!key || req.principal?.kind !== 'api_key') return payload;
    if (reply.statusCode >= 500) await release(db, req.principal.tenantId, key);
    else
      await complete(
        db,
        req.principal.tenantId,
        key,
        reply.statusCode,
        typeof payload === 'string' ? payload : String(payload ?? ''),
      );
    return payload;
  }
}
