import { writeOfx } from '../../../sandbox/bank-files/write-ofx.js';
import type { FinancialProviderDefinition } from '../../../src/modules/aggregation/domain/provider.js';
import { parseInThread } from '../../../src/modules/aggregation/file-parsing.js';
import {
  chaseFileProvider,
  createFileImportProvider,
} from '../../../src/modules/aggregation/providers/chase_file/index.js';
import { generateDocument } from './generate.js';

const MB = 1_000_000;

/** The Chase provider with the parse on the event loop, as imports parsed before: the baseline of the load benches. */
export const inThreadProvider: FinancialProviderDefinition = {
  ...(chaseFileProvider as FinancialProviderDefinition),
  key: 'chase_file_in_thread',
  displayName: 'Chase (file import), parsed on the event loop',
  create: () => createFileImportProvider(['ofx'], parseInThread),
};

/** A generated four-account SGML statement of about `megabytes` MB, and its transaction count. */
export function statementFile(megabytes: number): { bytes: Buffer; transactions: number } {
  const probe = 20_000;
  const perTransaction = writeOfx(generateDocument(probe), { dialect: 'sgml' }).length / probe;
  const transactions = Math.round((megabytes * MB) / perTransaction);
  return {
    bytes: Buffer.from(writeOfx(generateDocument(transactions), { dialect: 'sgml' }), 'latin1'),
    transactions,
  };
}
