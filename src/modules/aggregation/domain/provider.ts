import type { z } from 'zod';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { ProviderError } from '../../../kernel/errors.js';
import type { Failure, Result } from '../../../kernel/result.js';
import type { ProviderDefinition, ProviderMetadata } from '../../../providers/index.js';
import type { Mapped } from './mapping.js';
import type { FileFormatKey, ParsedFile } from './parsed-file.js';
import type { ProviderAccountData, ProviderHoldingData, ProviderTransactionData } from './types.js';

/**
 * The financial-data capability: the seed's registry metadata and its provider protocol, in three shapes by how a
 * provider authenticates (OAuth, API key, file import). Every fetch returns a Result: provider failures are
 * values the sync service decides on (refresh, retry later, mark the connection), never exceptions.
 */

export const PROVIDER_CATEGORIES = [
  'brokerage',
  'bank',
  'crypto',
  'retirement',
  'investment',
  'other',
] as const;
export type ProviderCategory = (typeof PROVIDER_CATEGORIES)[number];

export const AUTH_TYPES = ['oauth', 'api_key', 'file_import', 'link_token', 'certificate'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const CAPABILITIES = ['accounts', 'transactions', 'holdings'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface FinancialProviderMetadata extends ProviderMetadata {
  category: ProviderCategory;
  authType: AuthType;
  capabilities: readonly Capability[];
  /** File-import providers: the registered file formats they read (domain/file-formats.ts). */
  fileFormats?: readonly FileFormatKey[];
}

export type Fetched<T> = Promise<Result<Mapped<T>, ProviderError>>;

/** Data access bound to one connection's credentials (the seed's ProviderProtocol). */
export interface FinancialDataSession {
  fetchAccounts(): Fetched<ProviderAccountData>;
  /** Transactions dated `start`..`end` inclusive, on the provider's own calendar. */
  fetchTransactions(
    providerAccountId: string,
    start: CalendarDate,
    end: CalendarDate,
  ): Fetched<ProviderTransactionData>;
  fetchHoldings(providerAccountId: string): Fetched<ProviderHoldingData>;
  close(): Promise<void>;
}

/** An OAuth grant as stored (sealed) on a connection. Instants are ISO 8601 strings. */
export interface OAuthGrant {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  scope: string | null;
  accessTokenExpiresAt: string;
  refreshTokenExpiresAt: string;
}

export type TokenAction = 'use' | 'refresh' | 'reauthorize';

export interface OAuthFinancialProvider {
  readonly authType: 'oauth';
  authorizationUrl(state: string, redirectUri: string): string;
  exchangeCode(code: string, redirectUri: string): Promise<Result<OAuthGrant, ProviderError>>;
  /** `rotated`: the provider handed back a new refresh token, and the old one is now void. */
  refresh(grant: OAuthGrant): Promise<Result<{ grant: OAuthGrant; rotated: boolean }, ProviderError>>;
  tokenAction(grant: OAuthGrant, now: Date): TokenAction;
  /** `accessToken` is asked before every call, so a refresh during a sync is picked up. */
  session(accessToken: () => string): FinancialDataSession;
}

export interface ApiKeyFinancialProvider<C = unknown> {
  readonly authType: 'api_key';
  /** The customer's credentials, as the API accepts them (snake_case) and as they are sealed. */
  readonly credentialsSchema: z.ZodType<C>;
  /** A failure carries the provider's reason (kind `unprocessable`); outages are ProviderErrors. */
  validateCredentials(
    credentials: C,
  ): Promise<Result<{ providerAccountId: string }, Failure | ProviderError>>;
  session(credentials: C): FinancialDataSession;
}

export interface FileImportFinancialProvider {
  readonly authType: 'file_import';
  readonly fileFormats: readonly FileFormatKey[];
  /**
   * `unsupported_media` when the bytes are none of its formats; `invalid` (with line and element) when broken.
   * Asynchronous: a large file is parsed off the event loop.
   */
  parseFile(bytes: Uint8Array): Promise<Result<ParsedFile, Failure>>;
}

export type FinancialDataProvider =
  | OAuthFinancialProvider
  | ApiKeyFinancialProvider
  | FileImportFinancialProvider;

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every config type.
export interface FinancialProviderDefinition<C = any> extends ProviderDefinition<C, FinancialDataProvider> {
  serviceType: 'financial_data';
  metadata: FinancialProviderMetadata;
}
