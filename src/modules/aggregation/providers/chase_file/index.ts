import { z } from 'zod';
import { err, failure } from '../../../../kernel/result.js';
import { detectFileFormat, FILE_FORMATS } from '../../domain/file-formats.js';
import type { FileFormatKey } from '../../domain/parsed-file.js';
import type { FileImportFinancialProvider, FinancialProviderDefinition } from '../../domain/provider.js';

/**
 * Chase statement files (the OFX / QFX that chase.com exports for checking, savings and credit cards). Chase adds
 * nothing to the standard, so the provider is the registered OFX format; another bank's export is another
 * definition naming the same format.
 */
export const chaseFileConfigSchema = z.strictObject({});

export function createFileImportProvider(fileFormats: readonly FileFormatKey[]): FileImportFinancialProvider {
  const names = fileFormats.map((k) => FILE_FORMATS[k].displayName).join(', ');
  return {
    authType: 'file_import',
    fileFormats,
    parseFile(bytes) {
      const format = detectFileFormat(bytes, fileFormats);
      if (!format)
        return err(
          failure('unsupported_media', 'unsupported_file_format', `the file is not one of: ${names}`, {
            extra: {
              supported_formats: fileFormats.flatMap((k) => FILE_FORMATS[k].extensions),
            },
          }),
        );
      return format.parse(bytes);
    },
  };
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
