import { useRef } from 'preact/hooks';
import { ApiError } from '../api/client.js';

/**
 * The Idempotency-Key of a form's write. It is kept while the outcome is unknown (no answer, a 5xx), so trying again
 * cannot do the thing twice; after an answer (done, or refused) the next attempt is a new request with a new key,
 * since the API answers a reused key with a different body with 422.
 */
export function useIdempotencyKey() {
  const key = useRef(crypto.randomUUID());
  return {
    get: () => key.current,
    settled(error?: unknown) {
      if (error instanceof ApiError && error.retryable) return;
      key.current = crypto.randomUUID();
    },
  };
}
