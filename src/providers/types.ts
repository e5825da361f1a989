import type { z } from 'zod';
import type { HttpTuning } from '../kernel/http-client.js';
import type { Logger } from '../kernel/logging.js';

/** A capability. Each has an interface (the seed's Protocol) declared in the module that uses it. */
export const SERVICE_TYPES = [
  'lending_program',
  'payment_processor',
  'document_storage',
  'email',
  'sms',
  'letter',
  'compliance_rule',
  'report_generator',
  'financial_data',
  'card_issuing',
  'expense_category_resolver',
  'line_of_credit_resolver',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** What the registry must know about a provider without instantiating it. */
export interface ProviderMetadata {
  /** Where the provider is documented (vendor reference or a doc in this repository). */
  documentation: string;
  /** Settings that must be present in a config for the provider to work (the seed's required_settings). */
  requiredSettings: readonly string[];
  /**
   * How tests exercise it: a simulator under sandbox/simulators/ that speaks the vendor's wire format, or
   * `built-in` for providers with no external system.
   */
  testedWith: string;
  category?: string;
  authType?: string;
  capabilities?: readonly string[];
  [extra: string]: unknown;
}

export interface ProviderDeps {
  logger: Logger;
  now: () => Date;
  /**
   * The deployment's data folder (PLINTH_DATA_DIR), for providers that keep files on this host (local document
   * storage). The resolver always passes it; a tenant never chooses a path on the server.
   */
  dataDir?: string;
  /** What every HTTP client the provider builds must pass on (production: public addresses only). */
  http?: Pick<HttpTuning, 'publicAddressesOnly'>;
}

/**
 * A provider definition is a plain object. `create` builds an instance from one validated, decrypted config; the
 * resolution chain caches that instance per (tenant, config id, config version).
 */
export interface ProviderDefinition<C = unknown, I = unknown> {
  serviceType: ServiceType;
  key: string;
  displayName: string;
  metadata: ProviderMetadata;
  configSchema: z.ZodType<C>;
  /** Dotted paths into the config that are write-only: masked in every response, never logged. */
  secretFields: readonly string[];
  /**
   * Every config field that names an endpoint (a URL), by dotted path: the vendor's hosts (reached over HTTPS
   * only), or `plinth` for a URL that must lead back to this Plinth (an OAuth redirect URI). The framework checks
   * them against the operator's policy when a config is saved and again when it is used (see endpoints.ts).
   * `smtp_relay`: an SMTP relay's host name (its port in the config's `port`).
   */
  endpoints?: Readonly<Record<string, readonly string[] | 'plinth' | 'smtp_relay'>>;
  create(config: C, deps: ProviderDeps): I;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every config and instance type.
export type AnyProviderDefinition = ProviderDefinition<any, any>;

/**
 * The definition type of each service type, declared by the module that owns the capability through declaration
 * merging, so that the catalog and the resolver answer typed definitions and instances without casts:
 *
 *   declare module '../../providers/index.js' {
 *     interface Capabilities { financial_data: FinancialProviderDefinition }
 *   }
 *
 * A service type no module declares is served as AnyProviderDefinition.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the modules (declaration merging).
export interface Capabilities {}

export type DefinitionOf<S extends ServiceType> = S extends keyof Capabilities
  ? Capabilities[S] extends AnyProviderDefinition
    ? Capabilities[S]
    : never
  : AnyProviderDefinition;

/** What `create` returns for a service type's definitions. */
export type InstanceOf<S extends ServiceType> =
  DefinitionOf<S> extends { create(...a: never[]): infer I } ? I : unknown;
