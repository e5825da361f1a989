import { type Failure, failure } from '../../../../kernel/result.js';
import type { FileWarning } from '../parsed-file.js';
import { describeStatus, type InstitutionStatus, statusCode } from './status.js';

/**
 * Thrown inside the parser to abandon the file at the first problem; `parseOfx` turns it into a Result failure, so
 * callers never see it. `at` is a character offset into the decoded text, turned into line and column only on
 * failure so that the hot path never counts newlines.
 */
export class OfxSyntaxError extends Error {
  constructor(
    message: string,
    readonly element: string,
    readonly at: number,
    readonly path: string,
  ) {
    super(message);
    this.name = 'OfxSyntaxError';
  }
}

/**
 * Thrown when the file is the institution's error response rather than a statement: a refused sign-on, or error
 * statuses and no statement at all. `parseOfx` turns it into a 422 failure carrying the institution's status.
 */
export class OfxInstitutionError extends Error {
  constructor(
    message: string,
    readonly status: InstitutionStatus,
  ) {
    super(`${message}: ${describeStatus(status)}`);
    this.name = 'OfxInstitutionError';
  }
}

/** A warning before its offset is turned into a line and column (once, for all of them, at the end). */
export interface PendingWarning {
  code: string;
  /** Without the place, which is prefixed once located. */
  message: string;
  element: string;
  at: number;
  path: string;
}

export interface OfxErrorLocation {
  line: number;
  column: number;
  element: string;
  /** Open aggregates at the point of failure, e.g. `OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN`. */
  path: string;
}

/** 1-based line and column of a character offset; a lone CR counts as a line break (old Mac exports). */
export function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(at, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function malformed(text: string, e: OfxSyntaxError): Failure {
  const { line, column } = lineAndColumn(text, e.at);
  const extra: OfxErrorLocation = { line, column, element: e.element, path: e.path };
  return failure('invalid', 'ofx_malformed', `line ${line}, <${e.element}>: ${e.message}`, {
    extra: { ...extra },
  });
}

export function institutionFailure(text: string, e: OfxInstitutionError): Failure {
  const { line, column } = lineAndColumn(text, e.status.at);
  return failure('unprocessable', 'ofx_institution_error', `line ${line}, <STATUS>: ${e.message}`, {
    extra: {
      line,
      column,
      element: 'STATUS',
      path: e.status.path,
      institution_code: statusCode(e.status),
      institution_severity: e.status.severity || null,
      institution_message: e.status.message,
    },
  });
}

/** Locates every warning in one pass over the text, and lists them in file order. */
export function locateWarnings(text: string, pending: readonly PendingWarning[]): FileWarning[] {
  const out: FileWarning[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  for (const w of [...pending].sort((a, b) => a.at - b.at)) {
    const end = Math.min(w.at, text.length);
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = end - lineStart + 1;
    out.push({
      code: w.code,
      message: `line ${line}, <${w.element}>: ${w.message}`,
      line,
      column,
      element: w.element,
      path: w.path,
    });
  }
  return out;
}
