import { z } from 'zod';
import type { StatementParser } from '../../domain/file-formats.js';
import type { FileFormatKey } from '../../domain/parsed-file.js';
import type { FileImportFinancialProvider, FinancialProviderDefinition } from '../../domain/provider.js';
import { parseOffThread } from '../../file-parsing.js';

/**
 * Chase statement files (the OFX / QFX that chase.com exports for checking, savings and credit cards). Chase adds
 * nothing to the standard, so the provider is the registered OFX format; another bank's export is another
 * definition naming the same format.
 */
export const chaseFileConfigSchema = z.strictObject({});

/** A provider that reads the given registered formats; `parse` says where (a worker thread by default). */
export function createFileImportProvider(
  fileFormats: readonly FileFormatKey[],
  parse: StatementParser = parseOffThread,
): FileImportFinancialProvider {
  return { authType: 'file_import', fileFormats, parseFile: (bytes) => parse(fileFormats, bytes) };
}

export const chaseFileProvider: FinancialProviderDefinition<z.infer<typeof chaseFileConfigSchema>> = {
  serviceType: 'financial_data',
  key: 'chase_file',
  displayName: 'Chase (file import)',
  metadata: {
    documentation: 'src/modules/aggregation/README.md#file-imports',
    requiredSettings: [],
    // Parsing has no external system; the parser's own fixtures and property tests cover the format.
    testedWith: 'built-in',
    category: 'bank',
    authType: 'file_import',
    capabilities: ['accounts', 'transactions', 'holdings'],
    fileFormats: ['ofx'],
  },
  configSchema: chaseFileConfigSchema,
  secretFields: [],
  create: () => createFileImportProvider(['ofx']),
};
