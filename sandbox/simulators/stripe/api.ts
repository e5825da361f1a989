import Stripe from 'stripe';
import type { SimRequest, SimResponse, SimRoute } from '../shared/server.js';
import { authError, StripeError } from './errors.js';
import { canonical, type FormObject, parseForm, parseFormBody } from './form.js';
import type { IdempotencyStore } from './idempotency.js';
import { stripeId } from './store.js';

/**
 * What every Stripe endpoint does before and after its own work: Bearer (or Basic) secret-key authentication,
 * form decoding, idempotency keys on POSTs, `Request-Id` and `Stripe-Version` headers, and the error envelope.
 */
export interface StripeCall {
  params: Record<string, string>;
  /** The decoded form body (POST) or query (GET). */
  form: FormObject;
  requestId: string;
  idempotencyKey: string | null;
}

export type StripeHandler = (call: StripeCall) => { status?: number; body: unknown };

export interface StripeRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  handler: StripeHandler;
}

export interface ApiContext {
  apiKeys: string[];
  idempotency: IdempotencyStore;
  /** Called after each request Stripe would log, with its outcome (for the simulator's counters). */
  onRequest?: (r: { method: string; path: string; status: number; replayed: boolean }) => void;
}

const header = (req: SimRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function secretKey(req: SimRequest): string | null {
  const auth = header(req, 'authorization');
  if (!auth) return null;
  if (auth.startsWith('Bearer ')) return auth.slice(7).trim();
  if (auth.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0]!;
  return null;
}

const masked = (key: string) =>
  `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

function authenticate(req: SimRequest, apiKeys: string[]): string {
  const key = secretKey(req);
  if (!key)
    throw authError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  if (!apiKeys.includes(key)) throw authError(`Invalid API Key provided: ${masked(key)}`);
  return key;
}

export function toSimRoutes(routes: StripeRoute[], ctx: ApiContext): SimRoute[] {
  return routes.map((r) => ({
    method: r.method,
    path: r.path,
    handler: (req: SimRequest): SimResponse => {
      const requestId = stripeId('req', 14);
      const headers: Record<string, string> = {
        'request-id': requestId,
        'stripe-version': header(req, 'stripe-version') ?? Stripe.API_VERSION,
      };
      const respond = (status: number, body: unknown, replayed = false): SimResponse => {
        ctx.onRequest?.({ method: req.method, path: req.path, status, replayed });
        return { status, headers, body };
      };
      try {
        const scope = authenticate(req, ctx.apiKeys);
        const form = req.method === 'GET' ? parseForm(req.query) : parseFormBody(req.body);
        const key = req.method === 'POST' ? (header(req, 'idempotency-key') ?? null) : null;
        const call: StripeCall = { params: req.params, form, requestId, idempotencyKey: key };
        if (!key) {
          const out = r.handler(call);
          return respond(out.status ?? 200, out.body);
        }
        headers['idempotency-key'] = key;
        const claim = ctx.idempotency.claim(scope, key, `${req.method} ${req.path}`, canonical(form));
        if (claim.kind === 'replay') {
          headers['idempotent-replayed'] = 'true';
          headers['original-request'] = claim.result.requestId;
          return respond(claim.result.status, claim.result.body, true);
        }
        try {
          const out = r.handler(call);
          claim.settle({ status: out.status ?? 200, body: out.body, requestId });
          return respond(out.status ?? 200, out.body);
        } catch (e) {
          if (e instanceof StripeError && e.saved)
            claim.settle({ status: e.status, body: { error: e.error }, requestId });
          else claim.settle(null);
          throw e;
        }
      } catch (e) {
        if (e instanceof StripeError)
          return respond(e.status, { error: { ...e.error, request_log_url: null } });
        return respond(500, { error: { type: 'api_error', message: `Simulator failure: ${String(e)}` } });
      }
    },
  }));
}

/** Form values arrive as strings; these read them the way Stripe validates them. */
export const str = (form: FormObject, key: string): string | undefined => {
  const v = form[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

export const obj = (form: FormObject, key: string): FormObject | undefined => {
  const v = form[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
};

export const list = (form: FormObject, key: string): string[] | undefined => {
  const v = form[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (v && typeof v === 'object') return Object.values(v).filter((x): x is string => typeof x === 'string');
  return undefined;
};

export const metadataOf = (form: FormObject): Record<string, string> => {
  const m = obj(form, 'metadata') ?? {};
  return Object.fromEntries(
    Object.entries(m).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
};
