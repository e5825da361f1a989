import { type Failure, failure } from '../../../../kernel/result.js';

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
