import { END, LEAF, type Reader, START } from './reader.js';

/**
 * The institution's own STATUS aggregate (OFX 3.1.5), in the sign-on and in every statement response wrapper
 * (…TRNRS): CODE (0 is success), SEVERITY (INFO, WARN, ERROR) and an optional MESSAGE.
 */
export interface InstitutionStatus {
  code: string;
  severity: string;
  message: string | null;
  /** Offset of `<STATUS>` and the path of its parent, for locating it in messages. */
  at: number;
  path: string;
}

/** STATUS (START just returned). */
export function readStatus(r: Reader): InstitutionStatus {
  const at = r.at;
  const depth = r.depth;
  let code = '';
  let severity = '';
  let message: string | null = null;
  for (;;) {
    const t = r.next();
    if (t === LEAF && r.depth === depth) {
      if (r.name === 'CODE') code = r.value;
      else if (r.name === 'SEVERITY') severity = r.value.toUpperCase();
      else if (r.name === 'MESSAGE') message = r.value || null;
    } else if (t === START) r.skip();
    else if (t === END) break;
  }
  return { code, severity, message, at, path: r.path() };
}

/** SEVERITY is required; a status that lacks it is an error when its code is not success. */
export const isError = (s: InstitutionStatus): boolean =>
  s.severity === 'ERROR' || (s.severity === '' && s.code !== '' && Number(s.code) !== 0);

export const isWarning = (s: InstitutionStatus): boolean => s.severity === 'WARN';

export const describeStatus = (s: InstitutionStatus): string =>
  `status ${s.code || '(no code)'}${s.severity ? ` (${s.severity})` : ''}${s.message ? ` "${s.message}"` : ''}`;

/** The code as a number when it is one (OFX codes are numeric), for clients to switch on. */
export const statusCode = (s: InstitutionStatus): number | string =>
  /^\d+$/.test(s.code) ? Number(s.code) : s.code;
