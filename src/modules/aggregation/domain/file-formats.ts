import type { CalendarDate } from '../../../kernel/dates.js';
import { err, type Failure, failure, type Result } from '../../../kernel/result.js';
import { detectOfx, parseOfx } from './ofx/index.js';
import type { AccountStatement } from './types.js';

/**
 * File formats that file-import providers accept. A provider declares the keys it reads (a Chase file provider:
 * `fileFormats: ['ofx']`), so one parser serves every bank that exports the format. Parsers are pure: bytes in,
 * normalized statements or a failure out.
 */

/** One account's statement from a file, plus the period it covers. */
export interface FileStatement extends AccountStatement {
  /** The transaction list's start and end dates (OFX `DTSTART`/`DTEND`), when the file gives them. */
  period: { start: CalendarDate | null; end: CalendarDate | null } | null;
}

export interface ParsedFileMetadata {
  /** The format's own version, e.g. OFX `102` or `220`. */
  formatVersion: string | null;
  /** The institution that produced the file (OFX `FI/ORG` and `FI/FID`). */
  institution: { name: string | null; id: string | null } | null;
  /** Intuit's id for the bank (`INTU.BID`), carried by Quicken (QFX) files. */
  intuitBankId: string | null;
  /** When the institution produced the file (OFX `DTSERVER`), ISO 8601 UTC. */
  serverDate: string | null;
  /** The currency shared by all statements, or null when there are none or they differ. */
  currency: string | null;
}

/**
 * Something the file says that does not stop the import but that its reader should know: metadata that could not
 * be read, a statement the institution could not produce, a warning of the institution's own.
 */
export interface FileWarning {
  /** Stable, e.g. `ofx_signon_metadata`, `ofx_statement_unavailable`, `ofx_institution_warning`. */
  code: string;
  /** Starts with the place, like a parse error: `line 8, <DTSERVER>: …`. */
  message: string;
  line: number;
  column: number;
  element: string;
  path: string;
}

export interface ParsedFile {
  format: FileFormatKey;
  /** In file order; transactions in each keep file order too (duplicates included, see the OFX parser). */
  statements: FileStatement[];
  metadata: ParsedFileMetadata;
  /** In file order. */
  warnings: FileWarning[];
}

export const FILE_FORMAT_KEYS = ['ofx'] as const;
export type FileFormatKey = (typeof FILE_FORMAT_KEYS)[number];

export interface FileFormat {
  key: FileFormatKey;
  displayName: string;
  /** Lower-case, without the dot. */
  extensions: readonly string[];
  mediaTypes: readonly string[];
  /** Cheap content sniffing (the first few kilobytes), for rejecting other content with 415. */
  detect(bytes: Uint8Array): boolean;
  parse(bytes: Uint8Array): Result<ParsedFile, Failure>;
}

export const FILE_FORMATS: Readonly<Record<FileFormatKey, FileFormat>> = {
  ofx: {
    key: 'ofx',
    displayName: 'OFX / QFX (Open Financial Exchange, Quicken)',
    extensions: ['ofx', 'qfx'],
    mediaTypes: ['application/x-ofx', 'application/ofx', 'application/vnd.intu.qfx', 'application/x-qfx'],
    detect: detectOfx,
    parse: parseOfx,
  },
};

export const isFileFormatKey = (key: string): key is FileFormatKey => Object.hasOwn(FILE_FORMATS, key);

/**
 * Reads a statement file in the first of the `accepted` formats that recognizes it: `unsupported_media` when none
 * does, else that format's result. Pure and CPU-heavy on large files: the import runs it in a worker thread.
 */
export function parseStatementFile(
  accepted: readonly FileFormatKey[],
  bytes: Uint8Array,
): Result<ParsedFile, Failure> {
  const format = detectFileFormat(bytes, accepted);
  if (format) return format.parse(bytes);
  const names = accepted.map((k) => FILE_FORMATS[k].displayName).join(', ');
  return err(
    failure('unsupported_media', 'unsupported_file_format', `the file is not one of: ${names}`, {
      extra: { supported_formats: accepted.flatMap((k) => FILE_FORMATS[k].extensions) },
    }),
  );
}

/** How a file-import provider has its files parsed: in a worker thread (the server), or in this one. */
export type StatementParser = (
  accepted: readonly FileFormatKey[],
  bytes: Uint8Array,
) => Promise<Result<ParsedFile, Failure>>;

/** The first of `accepted` whose detector recognizes the content, if any. */
export function detectFileFormat(
  bytes: Uint8Array,
  accepted: readonly FileFormatKey[] = FILE_FORMAT_KEYS,
): FileFormat | undefined {
  for (const key of accepted) {
    const format = FILE_FORMATS[key];
    if (format.detect(bytes)) return format;
  }
  return undefined;
}
