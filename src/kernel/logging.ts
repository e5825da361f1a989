import { type DestinationStream, type Logger, pino } from 'pino';

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
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    destination,
  );
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * A child logger made on first use. The HTTP server makes one per request (to bind the request id), and pino's
 * child setup (level methods, redaction of the bindings) was a measurable share of a card decision, although most
 * requests log nothing at the configured level. Calls at disabled levels stay no-ops; anything else creates the
 * real child once and goes to it.
 */
export function lazyChild(parent: Logger, bindings: pino.Bindings, options: pino.ChildLoggerOptions): Logger {
  let child: Logger | undefined;
  const real = () => {
    child ??= parent.child(bindings, options);
    return child;
  };
  const lazy = Object.create(parent) as Logger;
  const level = options.level ?? parent.level;
  const threshold = parent.levels.values[level] ?? 0;
  for (const name of LEVELS) {
    if (parent.levels.values[name]! < threshold) lazy[name] = () => {};
    else lazy[name] = ((...args: Parameters<pino.LogFn>) => real()[name](...args)) as pino.LogFn;
  }
  lazy.child = (b, o) => real().child(b, o);
  lazy.bindings = () => real().bindings();
  return lazy;
}
