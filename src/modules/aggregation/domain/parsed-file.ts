import type { CalendarDate } from '../../../kernel/dates.js';
import type { AccountStatement } from './types.js';

/**
 * What a file parser returns: normalized statements and what the file says about itself. Parsers (domain/ofx)
 * import these types and nothing else of the format registry (file-formats.ts), which imports the parsers.
 */

export const FILE_FORMAT_KEYS = ['ofx'] as const;
export type FileFormatKey = (typeof FILE_FORMAT_KEYS)[number];

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
