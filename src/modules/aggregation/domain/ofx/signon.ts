import type { PendingWarning } from './errors.js';
import { OfxInstitutionError } from './errors.js';
import { LEAF, type Reader, START } from './reader.js';
import { describeStatus, type InstitutionStatus, isError, isWarning, readStatus } from './status.js';
import { ofxInstant } from './values.js';

/**
 * SIGNONMSGSRSV1/SONRS: the sign-on's STATUS, server date, FI/ORG, FI/FID and Quicken's INTU.BID.
 *
 * A refused sign-on (an error STATUS) means the file is the institution's error response: OfxInstitutionError. The
 * rest is metadata about the file, not the statement: a value that cannot be read (a DTSERVER whose zone has a name
 * but no offset, `[-:EST]`) is left unknown and reported as a warning, and the statements are still read.
 */

export interface Signon {
  serverDate: string | null;
  org: string | null;
  fid: string | null;
  intuitBankId: string | null;
}

export const NO_SIGNON: Signon = { serverDate: null, org: null, fid: null, intuitBankId: null };

/** SIGNONMSGSRSV1 (START just returned). */
export function readSignon(r: Reader, warnings: PendingWarning[]): Signon {
  const signon: Signon = { ...NO_SIGNON };
  const depth = r.depth;
  let status: InstitutionStatus | null = null;
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'DTSERVER') signon.serverDate = serverDate(r, warnings);
      else if (r.name === 'ORG' && r.open(0) === 'FI') signon.org = r.value || null;
      else if (r.name === 'FID' && r.open(0) === 'FI') signon.fid = r.value || null;
      else if (r.name === 'INTU.BID') signon.intuitBankId = r.value || null;
    } else if (t === START) {
      if (r.name === 'STATUS' && r.open(1) === 'SONRS') status = readStatus(r);
    } else if (r.depth < depth) break;
  }
  if (status && isError(status)) throw new OfxInstitutionError('the institution refused the sign-on', status);
  if (status && isWarning(status)) warnings.push(institutionWarning(status));
  return signon;
}

function serverDate(r: Reader, warnings: PendingWarning[]): string | null {
  const instant = ofxInstant(r.value);
  if (instant !== undefined) return instant;
  warnings.push({
    code: 'ofx_signon_metadata',
    message: `bad date "${r.value}"; the server date is left unknown`,
    element: r.name,
    at: r.at,
    path: r.path(),
  });
  return null;
}

export const institutionWarning = (s: InstitutionStatus): PendingWarning => ({
  code: 'ofx_institution_warning',
  message: `the institution warns: ${describeStatus(s)}`,
  element: 'STATUS',
  at: s.at,
  path: s.path,
});
