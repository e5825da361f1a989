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

/** Minor units of USD as the demo prints them: -$1,234.56 (n/a when there is no amount). */
export const money = (minor: number | null) =>
  minor === null
    ? 'n/a'
    : `${minor < 0 ? '-' : ''}$${(Math.abs(minor) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

/** Closes business days through `date` (queued: 202, or done at once: 200) and waits until they are closed. */
export async function closeThrough(api: DemoClient, key: string, date: string): Promise<void> {
  const r = await api.call('POST', '/v1/close-of-business', { key, body: { date } });
  if (r.status !== 200 && r.status !== 202) throw new Error(`close of business: ${JSON.stringify(r.body)}`);
  for (;;) {
    const runs = await api.call<{ business_date: string; data: { status: string }[] }>(
      'GET',
      `/v1/close-of-business?to=${date}&limit=1`,
      { key },
    );
    if (runs.body.business_date > date && runs.body.data.every((d) => d.status === 'completed')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
