import { isIP } from 'node:net';
import type { Config, EndpointOrigin } from '../kernel/config.js';
import { isNonPublicHost } from '../kernel/network.js';
import type { FieldIssue } from '../kernel/result.js';
import { getPath } from './masking.js';
import type { AnyProviderDefinition } from './types.js';

/**
 * Where provider configs may point. A tenant admin writes a provider's config, and Plinth then sends the
 * tenant's (or its customers') credentials to the endpoint it names and reflects what comes back: left open, that
 * is a request forgery against the server's own network. So an endpoint is the vendor's own host over HTTPS, or an
 * origin the platform operator allowed (PLINTH_PROVIDER_ENDPOINTS: simulators, sandboxes), and in production
 * never a non-public address, whatever the operator allowed.
 */
export interface EndpointPolicy {
  production: boolean;
  allowed: readonly EndpointOrigin[];
  /** This Plinth's external origin: where a URL that must lead back here (an OAuth redirect URI) points. */
  publicOrigin: string;
}

export function endpointPolicy(
  config: Pick<Config, 'NODE_ENV' | 'providerEndpoints' | 'publicUrl'>,
): EndpointPolicy {
  return {
    production: config.NODE_ENV === 'production',
    allowed: config.providerEndpoints,
    publicOrigin: new URL(config.publicUrl).origin,
  };
}

/**
 * What a definition says an endpoint field may name: the vendor's hosts, `plinth` (a URL of this Plinth), or
 * `smtp_relay`: the host name of an SMTP relay, whose port is the config's `port` field. A relay has no vendor
 * host (a lender uses its own, or any mail service's), so any public host is one; a non-public address (the
 * server's own network) only when the operator lists `smtp://host:port`, and never in production.
 */
export type EndpointHosts = readonly string[] | 'plinth' | 'smtp_relay';

const ALLOW_MORE = 'other endpoints need the platform operator to list them in PLINTH_PROVIDER_ENDPOINTS';

/** A DNS name (labels of letters, digits and hyphens) or an IP literal: nothing else may name a relay. */
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** Why an SMTP relay at `host`:`port` may not be used, or undefined when it may. */
export function relayRefusal(host: string, port: number, policy: EndpointPolicy): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 0 && !HOST_NAME.test(host)) return 'must be a host name or an IP address';
  if (!isNonPublicHost(bare)) return undefined;
  if (policy.production) return `${host} is not a public address`;
  const name = isIP(bare) === 6 ? `[${bare.toLowerCase()}]` : bare.toLowerCase();
  const allowed = policy.allowed.some(
    (o) => o.protocol === 'smtp:' && o.hostname === name && (o.port === undefined || o.port === String(port)),
  );
  return allowed
    ? undefined
    : `${host} is not a public address; a relay on one needs the platform operator to list smtp://${host}:${port} in PLINTH_PROVIDER_ENDPOINTS`;
}

/** Why `value` may not be used as this endpoint, or undefined when it may. */
export function endpointRefusal(
  value: string,
  hosts: readonly string[] | 'plinth',
  policy: EndpointPolicy,
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (policy.production && isNonPublicHost(url.hostname)) return `${url.hostname} is not a public address`;
  const known =
    hosts === 'plinth'
      ? url.origin === policy.publicOrigin
      : url.protocol === 'https:' && url.port === '' && hosts.includes(url.hostname.toLowerCase());
  if (known) return undefined;
  const allowed = policy.allowed.some(
    (o) =>
      o.protocol === url.protocol &&
      o.hostname === url.hostname &&
      (o.port === undefined || o.port === url.port),
  );
  if (allowed) return undefined;
  return hosts === 'plinth'
    ? `must be a URL of this Plinth (${policy.publicOrigin}); ${ALLOW_MORE}`
    : `must be https://${hosts.join(' or https://')}; ${ALLOW_MORE}`;
}

/** Every endpoint field of a (schema-valid) config that the policy refuses, as `config.<field>` issues. */
export function endpointIssues(
  def: AnyProviderDefinition,
  config: Record<string, unknown>,
  policy: EndpointPolicy,
): FieldIssue[] {
  return Object.entries(def.endpoints ?? {}).flatMap(([path, hosts]) => {
    const value = getPath(config, path);
    const port = Number(config.port ?? 25);
    const why =
      typeof value !== 'string'
        ? undefined
        : hosts === 'smtp_relay'
          ? relayRefusal(value, port, policy)
          : endpointRefusal(value, hosts, policy);
    return why ? [{ path: `config.${path}`, message: why }] : [];
  });
}
