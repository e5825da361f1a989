import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigurationError } from './errors.js';
import { isNonPublicHost } from './network.js';

/** An origin the operator lets provider configs point at; `port` undefined means any port (`:*`). */
export interface EndpointOrigin {
  /** `smtp:` names an SMTP relay (host and port) that the SMTP e-mail provider may use. */
  protocol: 'http:' | 'https:' | 'smtp:';
  hostname: string;
  port: string | undefined;
}

/** `scheme://host[:port]`, where port may be `*`. */
function parseOrigin(entry: string): EndpointOrigin | string {
  const anyPort = /^(?:https?|smtp):\/\/[^/]+:\*\/?$/.test(entry);
  let url: URL;
  try {
    url = new URL(anyPort ? entry.replace(/:\*(\/?)$/, '$1') : entry);
  } catch {
    return `${entry} is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'smtp:')
    return `${entry}: only http, https and smtp`;
  // smtp is not a special scheme: its URL has an empty path where http's has `/`.
  if (url.username || url.password || url.search || url.hash || !['/', ''].includes(url.pathname))
    return `${entry}: give an origin only (scheme://host[:port], port may be *)`;
  return { protocol: url.protocol, hostname: url.hostname, port: anyPort ? undefined : url.port };
}

/**
 * Every setting Plinth reads from the environment, validated once at start. The README's configuration table
 * mirrors this schema; keep them in step.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: embedded PGlite under PLINTH_DATA_DIR/db. `memory`: ephemeral PGlite. postgres://…: a server. */
  DATABASE_URL: z
    .string()
    .refine((v) => v === 'memory' || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be "memory" or a postgres:// URL',
    })
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  PLINTH_DATA_DIR: z.string().min(1).default('.plinth'),
  PLINTH_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Comma-separated Fernet keys: the first encrypts, all decrypt. */
  PROVIDER_ENCRYPTION_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** JSON request bodies larger than this are refused with 413. */
  PLINTH_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** File uploads (statement imports) larger than this are refused with 413. */
  PLINTH_UPLOAD_LIMIT_BYTES: z.coerce.number().int().min(1024).default(52_428_800),
  /** The externally visible base URL, for OAuth redirect URIs. Defaults to http://HOST:PORT. */
  PLINTH_PUBLIC_URL: z.url().optional(),
  /**
   * Loans per close-of-business batch (one transaction, one job). Unset: 20,000 on PostgreSQL, 200 on PGlite, whose
   * one connection and statements run inside the serving thread (a big batch there stalls every other request).
   */
  PLINTH_COB_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** The most days one close-of-business request may close (a typo'd year must not queue decades of work). */
  PLINTH_COB_MAX_DAYS: z.coerce.number().int().min(1).max(36_600).default(366),
  /** Close-of-business batches this process works on at once (with PostgreSQL; PGlite has one connection). */
  PLINTH_COB_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  /** Card decisions: most messages per group-committed transaction (1 turns group commit off). */
  PLINTH_CARD_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(128),
  /** Card decisions: independent batch queues (card owners are spread over them), each with one transaction in flight. */
  PLINTH_CARD_BATCH_SHARDS: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * `plinth serve` processes sharing the port (node:cluster): Node runs JavaScript on one core per process.
   * More than 1 needs a PostgreSQL DATABASE_URL (PGlite lives inside one process).
   */
  PLINTH_HTTP_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Comma-separated origins provider configs may point at besides each vendor's own HTTPS hosts (simulators,
   * sandboxes), e.g. `http://127.0.0.1:*,https://sandbox.example.com`; `smtp://host:port` for an SMTP relay on a
   * non-public address. Never a non-public address in production.
   */
  PLINTH_PROVIDER_ENDPOINTS: z.string().optional(),
  /** Failed authentications (API keys, the admin token) one source may make per window before it gets 429. */
  PLINTH_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  PLINTH_AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /**
   * Comma-separated addresses or CIDR ranges of the reverse proxies in front of Plinth, whose X-Forwarded-For
   * names the client. Unset: the TCP peer is the client.
   */
  PLINTH_TRUSTED_PROXIES: z
    .string()
    .refine(
      (v) =>
        v.split(',').every((e) => {
          const [address = '', bits, ...rest] = e.trim().split('/');
          const family = isIP(address);
          const max = family === 4 ? 32 : 128;
          return (
            family !== 0 &&
            rest.length === 0 &&
            (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max))
          );
        }),
      { message: 'must be comma-separated IP addresses or CIDR ranges' },
    )
    .optional(),
  /**
   * Origins besides Plinth's own the console's pages may send requests to, comma-separated: the S3 bucket (or
   * S3-compatible store) that browser uploads go to with a presigned URL. Unset: Plinth's origin only.
   */
  PLINTH_CONSOLE_CONNECT_SRC: z.string().optional(),
  /** Run background job workers in this process (API-only nodes can turn them off). */
  PLINTH_WORKERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type Config = z.infer<typeof envSchema> & {
  publicUrl: string;
  providerEndpoints: readonly EndpointOrigin[];
  /** PLINTH_TRUSTED_PROXIES as a list (Fastify's trustProxy), or false. */
  trustedProxies: string[] | false;
  /** PLINTH_CONSOLE_CONNECT_SRC as origins (`https://host[:port]`). */
  consoleConnectSrc: string[];
};

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  // A generated key lives in one data directory: right for the embedded database, which lives there too. Nodes
  // sharing a PostgreSQL would each generate their own and could not open each other's credentials.
  if (c.DATABASE_URL?.startsWith('postgres') && !c.PROVIDER_ENCRYPTION_KEY)
    throw new ConfigurationError(
      'invalid configuration: PROVIDER_ENCRYPTION_KEY: required with a PostgreSQL DATABASE_URL (every node must use the same key; a generated key is for the embedded database only)',
    );
  if (c.PLINTH_HTTP_PROCESSES > 1 && !c.DATABASE_URL?.startsWith('postgres'))
    throw new ConfigurationError(
      'invalid configuration: PLINTH_HTTP_PROCESSES: more than 1 needs a postgres:// DATABASE_URL (PGlite runs inside one process)',
    );
  const providerEndpoints: EndpointOrigin[] = [];
  for (const entry of (c.PLINTH_PROVIDER_ENDPOINTS ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const origin = parseOrigin(entry);
    if (typeof origin === 'string')
      throw new ConfigurationError(`invalid configuration: PLINTH_PROVIDER_ENDPOINTS: ${origin}`);
    if (c.NODE_ENV === 'production' && isNonPublicHost(origin.hostname))
      throw new ConfigurationError(
        `invalid configuration: PLINTH_PROVIDER_ENDPOINTS: ${entry} is not a public address (refused when NODE_ENV=production)`,
      );
    providerEndpoints.push(origin);
  }
  const consoleConnectSrc: string[] = [];
  for (const entry of (c.PLINTH_CONSOLE_CONNECT_SRC ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const origin = URL.canParse(entry) ? new URL(entry) : null;
    // Only an origin: a path, wildcard or quote would change what the policy allows beyond the one store.
    if (
      !origin ||
      !['http:', 'https:'].includes(origin.protocol) ||
      origin.hostname.includes('*') ||
      origin.origin !== entry.replace(/\/$/, '')
    )
      throw new ConfigurationError(
        `invalid configuration: PLINTH_CONSOLE_CONNECT_SRC: ${entry} is not an origin (https://host[:port])`,
      );
    consoleConnectSrc.push(origin.origin);
  }
  return {
    ...c,
    consoleConnectSrc,
    publicUrl: c.PLINTH_PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`,
    providerEndpoints,
    trustedProxies: c.PLINTH_TRUSTED_PROXIES?.split(',').map((e) => e.trim()) ?? false,
  };
}
