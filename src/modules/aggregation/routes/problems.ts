import type { FastifyReply } from 'fastify';
import { type Failure, type Result, unwrap } from '../../../kernel/result.js';

/** Like `unwrap`, and a failure that says when to retry also sets Retry-After. */
export function unwrapRetry<T>(reply: FastifyReply, result: Result<T, Failure>): T {
  const after = result.ok ? undefined : result.error.extra?.retry_after_seconds;
  if (typeof after === 'number') reply.header('retry-after', String(after));
  return unwrap(result);
}
