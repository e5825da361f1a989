import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The small HTTP server every simulator is built on: routing with `:params`, request recording for assertions,
 * and fault injection (status codes, Retry-After, delays, hung or reset connections) so tests can exercise 429s,
 * 5xx and timeouts against the same wire format the vendor speaks. A fault with `process: true` lets the
 * simulator do the work first and then fails the answer: the charge happens, the client sees an error or a
 * timeout, which is the case idempotent retries exist for.
 */
export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface SimRoute {
  method: string;
  /** e.g. `/trader/v1/accounts/:hash/transactions` */
  path: string;
  handler: SimHandler;
}

export interface Fault {
  method?: string;
  /** Matches when the request path equals the string or matches the regex. Omitted: every request. */
  path?: string | RegExp;
  /** A further test on the request, e.g. on its body when one path carries every operation. */
  match?: (req: SimRequest) => boolean;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait before answering (or before handling, when no status is given and `process` is not set). */
  delayMs?: number;
  /** Never answer: the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
  /** Destroy the connection instead of answering (the client sees a reset socket). */
  reset?: boolean;
  /**
   * Handle the request for real first, then apply the fault (after `delayMs`): the injected status instead of
   * the real answer, a hang, a reset, or, with none of those, the real answer late.
   */
  process?: boolean;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as received, for binary uploads (multipart PDFs) that do not survive UTF-8 decoding. */
  rawBody: Buffer;
}

export interface SimServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  inject(fault: Fault): void;
  /** Faults injected and not yet used up. */
  pendingFaults(): number;
  clearFaults(): void;
  close(): Promise<void>;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  body,
  headers,
});

function compile(path: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  const re = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { re: new RegExp(`^${re}$`), names };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SimServerOptions {
  port?: number;
  /** The vendor's answer to a path it does not know (default: a plain JSON 404). */
  notFound?: (req: SimRequest) => SimResponse;
}

export async function startSimServer(routes: SimRoute[], opts: SimServerOptions = {}): Promise<SimServer> {
  const compiled = routes.map((r) => ({ ...r, ...compile(r.path) }));
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];

  const route = async (sreq: SimRequest): Promise<SimResponse> => {
    for (const r of compiled) {
      if (r.method !== sreq.method) continue;
      const m = r.re.exec(sreq.path);
      if (!m) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      try {
        return await r.handler({ ...sreq, params });
      } catch (e) {
        return { status: 500, body: { error: 'simulator_error', message: String(e) } };
      }
    }
    return opts.notFound?.(sreq) ?? { status: 404, body: { error: 'not_found', path: sreq.path } };
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      body: body.toString('utf8'),
      rawBody: body,
    });
    const sreq: SimRequest = {
      method,
      path: url.pathname,
      params: {},
      query: url.searchParams,
      headers: req.headers,
      body,
    };

    const send = (r: SimResponse) => {
      const isRaw = typeof r.body === 'string' || Buffer.isBuffer(r.body);
      const payload =
        r.body === undefined ? '' : isRaw ? (r.body as string | Buffer) : JSON.stringify(r.body);
      const headers: Record<string, string> = { ...(r.headers ?? {}) };
      if (r.body !== undefined && !isRaw && !headers['content-type'])
        headers['content-type'] = 'application/json';
      res.writeHead(r.status, headers);
      res.end(payload);
    };

    const fault = faults.find(
      (f) =>
        (!f.method || f.method === method) &&
        (f.path === undefined ||
          (typeof f.path === 'string' ? f.path === url.pathname : f.path.test(url.pathname))) &&
        (!f.match || f.match(sreq)),
    );
    if (!fault) return send(await route(sreq));

    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
    const real = fault.process ? await route(sreq) : undefined;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.reset) return void req.socket.destroy();
    if (fault.hang) return;
    if (fault.status) return send({ status: fault.status, headers: fault.headers, body: fault.body });
    send(real ?? (await route(sreq)));
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    inject: (f) => faults.push({ times: 1, ...f }),
    pendingFaults: () => faults.length,
    clearFaults: () => faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
