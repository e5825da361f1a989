import type { Pool } from 'undici';

/**
 * A load generator's POST: undici's dispatch API, resolving with the status and body. It does what
 * `pool.request` does without a body stream per response. The client's CPU is not the server's, and on a
 * 2-core machine every microsecond the client spends is taken from the server under test.
 */
export function post(
  pool: Pool,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    pool.dispatch(
      { method: 'POST', path, headers, body },
      {
        // Its presence tells undici this handler uses the controller API.
        onRequestStart: () => {},
        onResponseStart: (_c, statusCode) => {
          status = statusCode;
        },
        onResponseData: (_c, chunk) => {
          chunks.push(chunk);
        },
        onResponseEnd: () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }),
        onResponseError: (_c, err) => reject(err),
      },
    );
  });
}
