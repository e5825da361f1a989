import { WorkerPool, workerTask } from '../../kernel/worker-pool.js';
import type { StatementParser } from './domain/file-formats.js';
import { parseStatementFile } from './domain/file-formats.js';
import { joinParsedFile, type ParsedFilePart } from './domain/file-parts.js';

/**
 * Statement files are parsed in a worker thread: a 50 MB OFX file takes seconds of CPU, which on the serving thread
 * would hold up every other request (card authorizations answer within 2 s). The parse is pure, so nothing else
 * changes: the import still parses completely before it writes anything, then writes in one transaction.
 */

const pool = new WorkerPool();
const PARSE_IN_PARTS = workerTask(import.meta.url, './domain/file-parts', 'parseStatementFileInParts');

export const parseOffThread: StatementParser = async (accepted, bytes) =>
  joinParsedFile(await pool.collect<ParsedFilePart>(PARSE_IN_PARTS, [accepted, bytes]));

/** The same parse on the calling thread (benchmarks compare the two). */
export const parseInThread: StatementParser = async (accepted, bytes) => parseStatementFile(accepted, bytes);
