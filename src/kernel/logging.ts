import { type DestinationStream, type Logger, pino } from 'pino';
import { stdoutLogs } from './log-destination.js';

export type { Logger };

/**
 * Credentials must never reach a log. Code never logs provider configs or credentials on purpose; these paths
 * catch the accidents (a request header, an error object carrying a config).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["stripe-signature"]',
  'req.headers["webhook-signature"]',
  'req.headers["plinth-signature"]',
  'req.headers["apca-api-key-id"]',
  'req.headers["apca-api-secret-key"]',
  'headers.authorization',
  'config',
  'credentials',
  '*.config',
  '*.credentials',
  '*.api_key',
  '*.apiKey',
  '*.secret',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.webhook_secret',
  // A customer's SSN, wherever a caller might pass it to a log.
  'tax_id',
  'taxId',
  '*.tax_id',
  '*.taxId',
];

const SAFE_QUERY_NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;

/**
 * A request URL for a log: the path, and the query's parameter names without their values. Query strings carry
 * what must not be logged: an OAuth callback's `code` and `state`, and whatever key a client put in a query. A
 * "name" that does not look like one (it may be the secret itself) is redacted whole.
 */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SAFE_QUERY_NAME.test(name) ? `${name}=[redacted]` : '[redacted]';
    });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
}

/** Fastify's request log fields, with the query redacted (these serializers win over Fastify's own). */
const serializers = {
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: typeof req.url === 'string' ? redactQuery(req.url) : undefined,
    host: req.host,
    remoteAddress: req.ip,
  }),
};

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers,
      base: undefined,
    },
    destination ?? stdoutLogs(),
  );
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

const BINDINGS = Symbol('bindings');
const OPTIONS = Symbol('options');
const CHILD = Symbol('child');

interface Lazy {
  [BINDINGS]: pino.Bindings;
  [OPTIONS]: pino.ChildLoggerOptions;
  [CHILD]?: Logger;
}

function real(lazy: Lazy, parent: Logger): Logger {
  lazy[CHILD] ??= parent.child(lazy[BINDINGS], lazy[OPTIONS]);
  return lazy[CHILD];
}

/** Per parent and level: the methods every lazy child of that parent shares. */
const prototypes = new WeakMap<Logger, Map<string, Logger>>();

function prototypeFor(parent: Logger, level: string): Logger {
  let byLevel = prototypes.get(parent);
  if (!byLevel) {
    byLevel = new Map();
    prototypes.set(parent, byLevel);
  }
  let proto = byLevel.get(level);
  if (proto) return proto;
  proto = Object.create(parent) as Logger;
  const threshold = parent.levels.values[level] ?? 0;
  for (const name of LEVELS) {
    if (parent.levels.values[name]! < threshold) proto[name] = () => {};
    else
      proto[name] = function (this: Lazy, ...args: Parameters<pino.LogFn>) {
        return real(this, parent)[name](...args);
      } as pino.LogFn;
  }
  proto.child = function (this: Lazy, b, o) {
    return real(this, parent).child(b, o);
  };
  proto.bindings = function (this: Lazy) {
    return real(this, parent).bindings();
  };
  byLevel.set(level, proto);
  return proto;
}

/**
 * A child logger made on first use. The HTTP server makes one per request (to bind the request id), and pino's
 * child setup (level methods, redaction of the bindings) was a measurable share of a card decision, although most
 * requests log nothing at the configured level. Calls at disabled levels stay no-ops; anything else creates the
 * real child once and goes to it. The methods live on a prototype shared per parent and level, so a request's
 * logger is one small object.
 */
export function lazyChild(parent: Logger, bindings: pino.Bindings, options: pino.ChildLoggerOptions): Logger {
  const lazy = Object.create(prototypeFor(parent, options.level ?? parent.level)) as Logger & Lazy;
  lazy[BINDINGS] = bindings;
  lazy[OPTIONS] = options;
  return lazy;
}
