/**
 * The one timestamp rule of every relay's signatures: the signed time (Unix seconds) is within five minutes of our
 * clock, in either direction. A request signed in the future is as suspect as a stale one (a captured request must
 * not be replayable later, whoever's clock it claims), and the platforms' own tolerance is five minutes.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function isFresh(
  signedSeconds: number,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  return (
    Number.isSafeInteger(signedSeconds) &&
    Math.abs(Math.floor(now.getTime() / 1000) - signedSeconds) <= toleranceSeconds
  );
}

/** The `t=` timestamp of a `t=<unix seconds>,v1=<signature>…` header (Stripe's and Plinth's own scheme). */
export function signedAt(header: string): number | undefined {
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (part.slice(0, eq).trim() !== 't') continue;
    const value = part.slice(eq + 1).trim();
    return /^\d{1,12}$/.test(value) ? Number(value) : undefined;
  }
  return undefined;
}
