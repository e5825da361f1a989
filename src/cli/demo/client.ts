/** The demo drives Plinth through its real HTTP API, as a client would. */
export interface DemoClient {
  baseUrl: string;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T }>;
}

export function demoClient(baseUrl: string): DemoClient {
  return {
    baseUrl,
    async call(method, path, opts = {}) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(opts.key && { authorization: `Bearer ${opts.key}` }),
          ...(opts.body !== undefined && { 'content-type': 'application/json' }),
          ...opts.headers,
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as never };
    },
  };
}

/** Fails the tour loudly when a step does not get the status it expects. */
export async function expectStatus<T>(
  p: Promise<{ status: number; body: T }>,
  status: number,
  what: string,
): Promise<T> {
  const r = await p;
  if (r.status !== status)
    throw new Error(`${what}: expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export const say = (line = '') => console.log(line);
export const section = (title: string) =>
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);
