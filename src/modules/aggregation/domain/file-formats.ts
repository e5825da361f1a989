import { err, type Failure, failure, type Result } from '../../../kernel/result.js';
import { detectOfx, parseOfx } from './ofx/index.js';
import { FILE_FORMAT_KEYS, type FileFormatKey, type ParsedFile } from './parsed-file.js';

/**
 * File formats that file-import providers accept. A provider declares the keys it reads (a Chase file provider:
 * `fileFormats: ['ofx']`), so one parser serves every bank that exports the format. Parsers are pure: bytes in,
 * normalized statements (parsed-file.ts) or a failure out.
 */

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
