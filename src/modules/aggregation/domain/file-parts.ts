import type { Failure, Result } from '../../../kernel/result.js';
import { parseStatementFile } from './file-formats.js';
import type { FileFormatKey, ParsedFile } from './parsed-file.js';
import type { ProviderHoldingData, ProviderTransactionData } from './types.js';

/**
 * A parse result cut into parts for the trip from a worker thread: the file without its transactions and holdings,
 * then those in slices. Deserializing a 50 MB statement's result in one piece holds the receiving thread for
 * seconds; a slice of 1,000 transactions takes milliseconds, and the pool takes one per turn of the event loop.
 */

export type ParsedFilePart =
  | { kind: 'head'; result: Result<ParsedFile, Failure> }
  | { kind: 'transactions'; statement: number; items: ProviderTransactionData[] }
  | { kind: 'holdings'; statement: number; items: ProviderHoldingData[] };

export const PART_SIZE = 1_000;

export function* parsedFileParts(
  result: Result<ParsedFile, Failure>,
  size = PART_SIZE,
): Generator<ParsedFilePart> {
  if (!result.ok) {
    yield { kind: 'head', result };
    return;
  }
  const file = result.value;
  const statements = file.statements.map((s) => ({ ...s, transactions: [], holdings: [] }));
  yield { kind: 'head', result: { ok: true, value: { ...file, statements } } };
  for (const [statement, s] of file.statements.entries()) {
    for (let i = 0; i < s.transactions.length; i += size)
      yield { kind: 'transactions', statement, items: s.transactions.slice(i, i + size) };
    for (let i = 0; i < s.holdings.length; i += size)
      yield { kind: 'holdings', statement, items: s.holdings.slice(i, i + size) };
  }
}

/** The parse result the parts were cut from. */
export function joinParsedFile(parts: readonly ParsedFilePart[]): Result<ParsedFile, Failure> {
  const [head, ...rest] = parts;
  if (head?.kind !== 'head') throw new Error('parse result parts must start with the head');
  if (!head.result.ok) return head.result;
  const statements = head.result.value.statements;
  for (const part of rest) {
    if (part.kind === 'head') throw new Error('a parse result has one head');
    const into = statements[part.statement]![part.kind] as unknown[];
    for (const item of part.items) into.push(item);
  }
  return head.result;
}

/** The worker thread's task: parses the file and yields its result in parts. */
export function parseStatementFileInParts(
  accepted: readonly FileFormatKey[],
  bytes: Uint8Array,
): Generator<ParsedFilePart> {
  return parsedFileParts(parseStatementFile(accepted, bytes));
}
