// The console's HTTP client. Paths, path parameters, query strings and request bodies are checked against the
// types generated from the API's OpenAPI document (schema.d.ts), so a renamed route or field fails the typecheck.
// Every route declares its response schema, so what each call answers is typed from the same document.
import type { paths } from './schema.js';
import { session } from './session.js';
import type { Success } from './types.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = paths[P][M];
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends { parameters: unknown } ? P : never;
}[keyof paths];

type Params<O> = O extends { parameters: infer Q } ? Q : never;
type PathParams<O> = Params<O> extends { path?: infer X } ? (X extends undefined ? never : X) : never;
type QueryOf<O> = Params<O> extends { query?: infer X } ? X : never;
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** A route's generated request body and query types, for values a form builds up before sending. */
export type RequestBody<P extends keyof paths, M extends Method> = BodyOf<Op<P, M>>;
export type Query<P extends keyof paths, M extends Method> = NonNullable<QueryOf<Op<P, M>>>;

export interface CallOptions<O> {
  path?: PathParams<O>;
  query?: QueryOf<O>;
  body?: BodyOf<O>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** A refusal (problem+json), a server failure or no answer at all (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
  }
  /** Worth trying again unchanged: the network or the server failed, not the request. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
  /** The message for one field (by its path in the request body), if the API named it. */
  field(path: string): string | undefined {
    return this.fields.find((f) => f.path === path || f.path === `body.${path}`)?.message;
  }
}

function url(template: string, params: Record<string, unknown> = {}, query: Record<string, unknown> = {}) {
  const path = template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(params[k])));
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function send<T>(
  method: string,
  target: string,
  init: { body?: BodyInit; json?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  const key = session.get()?.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  let res: Response;
  try {
    res = await fetch(target, { method, headers, body, signal: init.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server did not answer. Check the connection and try again.');
  }
  const text = await res.text();
  const data = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; title?: string; errors?: FieldIssue[] };
    if (res.status === 401 && key) session.expire();
    throw new ApiError(
      res.status,
      p.code ?? 'http_error',
      p.detail ?? p.title ?? `The server answered ${res.status}.`,
      Array.isArray(p.errors) ? p.errors : [],
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

type Answer<M extends Method, P extends keyof paths> = Success<Op<P, M>>;

function call<M extends Method>(method: M) {
  return <P extends PathsWith<M>>(path: P, opts: CallOptions<Op<P, M>> = {}): Promise<Answer<M, P>> =>
    send<Answer<M, P>>(
      method.toUpperCase(),
      url(path as string, opts.path as Record<string, unknown>, opts.query as Record<string, unknown>),
      { json: opts.body, headers: opts.headers, signal: opts.signal },
    );
}

export const api = {
  get: call('get'),
  post: call('post'),
  put: call('put'),
  patch: call('patch'),
  delete: call('delete'),
};
