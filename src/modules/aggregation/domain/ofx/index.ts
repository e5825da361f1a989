import { err, type Failure, failure, ok, type Result } from '../../../../kernel/result.js';
import type { ParsedFile } from '../parsed-file.js';
import { decodeOfx, ofxFromString } from './decode.js';
import { readDocument } from './document.js';
import { institutionFailure, malformed, OfxInstitutionError, OfxSyntaxError } from './errors.js';

export { detectOfx } from './decode.js';
export type { OfxErrorLocation } from './errors.js';

/**
 * Parses an OFX 1.x (SGML) or 2.x (XML) file, QFX included, into normalized statements.
 *
 * - Every statement in the file (bank, credit card, investment; any number of accounts) becomes a FileStatement.
 * - Dates are the calendar dates written in the file, never shifted to UTC; balance dates are kept as instants.
 * - Amounts are integer minor units of the statement's CURDEF (default USD) or a transaction's CURRENCY.
 * - Transactions are not de-duplicated: banks reuse FITIDs, so the storage layer decides, with file order kept
 *   (an occurrence index among identical rows can be derived from it).
 * - `providerTransactionId` is the FITID. `providerAccountId` is `ofx_` + 128 bits of SHA-256 over (statement
 *   kind, BANKID or BROKERID, ACCTID, ACCTTYPE): stable across imports, without the account number in clear.
 * - Status: `pending` for TRNTYPE HOLD and for OFX 2.1 BANKTRANLISTP items (which have no FITID, so they get a
 *   content-derived `pending_…` id); `cancelled` for a CORRECTACTION=DELETE correction (under the corrected FITID);
 *   otherwise `settled`. Vendor flags such as `INTU.XTNPENDING` are not standardized and are ignored.
 * - A transaction's CURRENCY aggregate sets its currency; ORIGCURRENCY leaves the amount in CURDEF (OFX 5.2).
 *
 * Any problem yields `ofx_malformed` (kind `invalid`) with `extra: { line, column, element, path }`, and no partial
 * result. Unknown elements are ignored. A file that is the institution's error response (a refused sign-on, or
 * error statuses and no statement) yields `ofx_institution_error` (kind `unprocessable`) with the institution's
 * `institution_code`, `institution_severity` and `institution_message`. What does not stop the import (sign-on
 * metadata that cannot be read, one statement of several that the institution could not produce, its warnings) is
 * listed in `warnings`.
 */
export function parseOfx(input: Uint8Array | string): Result<ParsedFile, Failure> {
  const ofx = typeof input === 'string' ? ofxFromString(input) : decodeOfx(input);
  if (!ofx) {
    const message = 'line 1, <OFX>: not an OFX file (no OFX header and no <OFX> element near the start)';
    return err(
      failure('invalid', 'ofx_malformed', message, {
        extra: { line: 1, column: 1, element: 'OFX', path: '' },
      }),
    );
  }
  try {
    return ok(readDocument(ofx));
  } catch (e) {
    if (e instanceof OfxSyntaxError) return err(malformed(ofx.text, e));
    if (e instanceof OfxInstitutionError) return err(institutionFailure(ofx.text, e));
    throw e;
  }
}
