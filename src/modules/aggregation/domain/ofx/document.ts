import type { FileStatement, FileWarning, ParsedFile } from '../parsed-file.js';
import { readBankStatement } from './banking.js';
import type { OfxText } from './decode.js';
import { locateWarnings, OfxInstitutionError, type PendingWarning } from './errors.js';
import { type InvestmentParts, readInvestmentStatement } from './investment.js';
import { EOF, LEAF, Reader, START } from './reader.js';
import { finishInvestmentStatement, readSecurityList, type SecurityInfo } from './securities.js';
import { institutionWarning, NO_SIGNON, readSignon, type Signon } from './signon.js';
import { describeStatus, type InstitutionStatus, isError, isWarning, readStatus } from './status.js';

/**
 * The OFX document: signon, then message sets. Statements sit two levels down in each set, inside a transaction
 * wrapper (…TRNRS) that also carries the institution's status for that statement. An error status is the
 * institution saying it could not produce the statement: a file with such errors and no statement at all is an error
 * response and is refused (OfxInstitutionError), while in a file that has statements each error is a warning. Other
 * message sets (bill pay, e-mail, profile, signup, tax) are skipped.
 */
const STATEMENT_SETS: Record<string, readonly [wrapper: string, statement: string]> = {
  BANKMSGSRSV1: ['STMTTRNRS', 'STMTRS'],
  CREDITCARDMSGSRSV1: ['CCSTMTTRNRS', 'CCSTMTRS'],
  INVSTMTMSGSRSV1: ['INVSTMTTRNRS', 'INVSTMTRS'],
};

/**
 * Parses the decoded file. Throws OfxSyntaxError at the first problem, OfxInstitutionError for an error response;
 * `parseOfx` turns either into a Result.
 */
export function readDocument(ofx: OfxText): ParsedFile {
  const r = new Reader(ofx.text, ofx.bodyStart, ofx.header.kind !== 'xml');
  if (r.next() !== START || r.name !== 'OFX') r.fail('expected <OFX>', 'OFX');
  let signon: Signon = NO_SIGNON;
  const statements: FileStatement[] = [];
  const investments: { index: number; parts: InvestmentParts }[] = [];
  const securities = new Map<string, SecurityInfo>();
  const warnings: PendingWarning[] = [];
  const errors: InstitutionStatus[] = [];
  for (;;) {
    const t = r.next();
    if (t === LEAF) continue;
    if (t !== START) break;
    const set = STATEMENT_SETS[r.name];
    if (set) readStatementSet(r, set, { statements, investments, warnings, errors });
    else if (r.name === 'SIGNONMSGSRSV1') signon = readSignon(r, warnings);
    else if (r.name === 'SECLISTMSGSRSV1') readSecurityMessages(r, securities);
    else r.skip();
  }
  if (r.next() !== EOF) r.fail(`unexpected <${r.name}> after </OFX>`);
  if (statements.length === 0 && errors.length > 0)
    throw new OfxInstitutionError(
      'the institution answered with an error instead of a statement',
      errors[0]!,
    );
  for (const e of errors) warnings.push(unavailable(e));
  for (const { index, parts } of investments)
    statements[index] = finishInvestmentStatement(parts, securities);
  const institution =
    signon.org !== null || signon.fid !== null ? { name: signon.org, id: signon.fid } : null;
  for (const statement of statements) statement.account.institution = institution;
  const currencies = new Set(statements.map((s) => s.account.currency));
  return {
    format: 'ofx',
    statements,
    metadata: {
      formatVersion: ofx.header.version,
      institution,
      intuitBankId: signon.intuitBankId,
      serverDate: signon.serverDate,
      currency: currencies.size === 1 ? [...currencies][0]! : null,
    },
    warnings: located(ofx.text, warnings),
  };
}

// A response of thousands of statements could carry as many warnings; the first ones tell the story.
const MAX_WARNINGS = 100;

function located(text: string, warnings: PendingWarning[]): FileWarning[] {
  const out = locateWarnings(text, warnings);
  if (out.length <= MAX_WARNINGS) return out;
  const last = out[MAX_WARNINGS - 1]!;
  const more = out.length - (MAX_WARNINGS - 1);
  return [
    ...out.slice(0, MAX_WARNINGS - 1),
    { ...last, code: 'ofx_more_warnings', message: `${more} more warnings, from ${last.message}` },
  ];
}

const unavailable = (s: InstitutionStatus): PendingWarning => ({
  code: 'ofx_statement_unavailable',
  message: `the institution answered one statement request of the file with an error: ${describeStatus(s)}`,
  element: 'STATUS',
  at: s.at,
  path: s.path,
});

interface Collected {
  statements: FileStatement[];
  investments: { index: number; parts: InvestmentParts }[];
  warnings: PendingWarning[];
  errors: InstitutionStatus[];
}

function readStatementSet(
  r: Reader,
  [wrapper, statementTag]: readonly [string, string],
  { statements, investments, warnings, errors }: Collected,
): void {
  for (;;) {
    const t = r.next();
    if (t === LEAF) continue;
    if (t !== START) return;
    if (r.name !== wrapper) {
      r.skip();
      continue;
    }
    for (;;) {
      const u = r.next();
      if (u === LEAF) continue;
      if (u !== START) break;
      if (r.name === 'STATUS') {
        const status = readStatus(r);
        if (isError(status)) errors.push(status);
        else if (isWarning(status)) warnings.push(institutionWarning(status));
      } else if (r.name !== statementTag) r.skip();
      else if (statementTag === 'INVSTMTRS') {
        const parts = readInvestmentStatement(r);
        investments.push({ index: statements.length, parts });
        statements.push(parts.statement);
      } else statements.push(readBankStatement(r, statementTag === 'CCSTMTRS'));
    }
  }
}

function readSecurityMessages(r: Reader, securities: Map<string, SecurityInfo>): void {
  for (;;) {
    const t = r.next();
    if (t === START) {
      if (r.name === 'SECLIST') readSecurityList(r, securities);
      else r.skip();
    } else if (t !== LEAF) return;
  }
}
