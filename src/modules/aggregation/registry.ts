import { Registry } from '../../providers/index.js';
import { isFileFormatKey } from './domain/file-formats.js';
import {
  AUTH_TYPES,
  CAPABILITIES,
  type FinancialProviderDefinition,
  PROVIDER_CATEGORIES,
} from './domain/provider.js';
import { alpacaProvider } from './providers/alpaca/index.js';
import { chaseFileProvider } from './providers/chase_file/index.js';
import { schwabProvider } from './providers/schwab/index.js';

declare module '../../providers/index.js' {
  interface Capabilities {
    financial_data: FinancialProviderDefinition;
  }
}

export const FINANCIAL_DATA_PROVIDERS: readonly FinancialProviderDefinition[] = [
  schwabProvider,
  alpacaProvider,
  chaseFileProvider,
];

/** The financial-data providers Plinth ships. */
export const aggregationRegistries = (): Registry[] => [
  new Registry<FinancialProviderDefinition>('financial_data').registerAll(FINANCIAL_DATA_PROVIDERS),
];

const includes = (list: readonly string[], value: unknown): boolean =>
  typeof value === 'string' && list.includes(value);

/**
 * What a financial-data definition must declare beyond the framework's contract (src/providers/contract.ts): the
 * seed's category, auth type and capabilities, and for file imports the registered formats they read.
 */
export function financialDefinitionProblems(def: FinancialProviderDefinition): string[] {
  const m = def.metadata;
  const where = `financial_data/${def.key}`;
  const problems: string[] = [];
  if (!includes(PROVIDER_CATEGORIES, m.category))
    problems.push(`${where}: category ${m.category} is not valid`);
  if (!includes(AUTH_TYPES, m.authType)) problems.push(`${where}: authType ${m.authType} is not valid`);
  if (!Array.isArray(m.capabilities) || m.capabilities.length === 0)
    problems.push(`${where}: no capabilities`);
  else
    for (const c of m.capabilities)
      if (!includes(CAPABILITIES, c)) problems.push(`${where}: capability ${c} is not valid`);
  if (m.authType === 'file_import') {
    if (!m.fileFormats?.length) problems.push(`${where}: a file-import provider names no file format`);
    for (const f of m.fileFormats ?? [])
      if (!isFileFormatKey(f)) problems.push(`${where}: file format ${f} is not registered`);
  } else if (m.fileFormats) problems.push(`${where}: only file-import providers read file formats`);
  if (m.authType === 'oauth' && !def.secretFields.length)
    problems.push(`${where}: an OAuth provider must keep its client secret in a secret field`);
  return problems;
}
