import type { FileStatement, ParsedFile } from '../file-formats.js';
import { readBankStatement } from './banking.js';
import type { OfxText } from './decode.js';
import { leafInstant } from './fields.js';
import { type InvestmentParts, readInvestmentStatement } from './investment.js';
import { EOF, LEAF, Reader, START } from './reader.js';
import { finishInvestmentStatement, readSecurityList, type SecurityInfo } from './securities.js';

/**
 * The OFX document: signon, then message sets. Statements sit two levels down in each set, inside a transaction
 * wrapper (…TRNRS) that also carries a status; a wrapper without a statement (an error status) contributes nothing.
 * Other message sets (bill pay, e-mail, profile, signup, tax) are skipped.
 */
const STATEMENT_SETS: Record<string, readonly [wrapper: string, statement: string]> = {
  BANKMSGSRSV1: ['STMTTRNRS', 'STMTRS'],
  CREDITCARDMSGSRSV1: ['CCSTMTTRNRS', 'CCSTMTRS'],
  INVSTMTMSGSRSV1: ['INVSTMTTRNRS', 'INVSTMTRS'],
};

interface Signon {
  serverDate: string | null;
  org: string | null;
  fid: string | null;
  intuitBankId: string | null;
}

/** Parses the decoded file. Throws OfxSyntaxError at the first problem; `parseOfx` turns that into a Result. */
export function readDocument(ofx: OfxText): ParsedFile {
  const r = new Reader(ofx.text, ofx.bodyStart, ofx.header.kind !== 'xml');
  if (r.next() !== START || r.name !== 'OFX') r.fail('expected <OFX>', 'OFX');
  let signon: Signon = { serverDate: null, org: null, fid: null, intuitBankId: null };
  const statements: FileStatement[] = [];
  const investments: { index: number; parts: InvestmentParts }[] = [];
  const securities = new Map<string, SecurityInfo>();
  for (;;) {
    const t = r.next();
    if (t === LEAF) continue;
    if (t !== START) break;
    const set = STATEMENT_SETS[r.name];
    if (set) readStatementSet(r, set, statements, investments);
    else if (r.name === 'SIGNONMSGSRSV1') signon = readSignon(r);
    else if (r.name === 'SECLISTMSGSRSV1') readSecurityMessages(r, securities);
    else r.skip();
  }
  if (r.next() !== EOF) r.fail(`unexpected <${r.name}> after </OFX>`);
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
  };
}

function readStatementSet(
  r: Reader,
  [wrapper, statementTag]: readonly [string, string],
  statements: FileStatement[],
  investments: { index: number; parts: InvestmentParts }[],
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
      if (r.name !== statementTag) r.skip();
      else if (statementTag === 'INVSTMTRS') {
        const parts = readInvestmentStatement(r);
        investments.push({ index: statements.length, parts });
        statements.push(parts.statement);
      } else statements.push(readBankStatement(r, statementTag === 'CCSTMTRS'));
    }
  }
}

/** SIGNONMSGSRSV1/SONRS: server date, FI/ORG, FI/FID and Quicken's INTU.BID. */
function readSignon(r: Reader): Signon {
  const signon: Signon = { serverDate: null, org: null, fid: null, intuitBankId: null };
  const depth = r.depth;
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'DTSERVER') signon.serverDate = leafInstant(r);
      else if (r.name === 'ORG' && r.open(0) === 'FI') signon.org = r.value || null;
      else if (r.name === 'FID' && r.open(0) === 'FI') signon.fid = r.value || null;
      else if (r.name === 'INTU.BID') signon.intuitBankId = r.value || null;
    } else if (t !== START && r.depth < depth) return signon;
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
