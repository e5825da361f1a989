import { ProviderError } from '../../../../kernel/errors.js';

interface NodemailerError {
  code?: string;
  responseCode?: number;
  response?: string;
}

const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
]);

/**
 * SMTP's reply codes decide: 5xx is permanent (a refused recipient, a message too large: rejected), 4xx is
 * transient (greylisting, a full mailbox queue). Without a reply, nodemailer's code says what broke.
 */
export function smtpError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  const n = e as NodemailerError;
  const details = {
    provider: 'smtp',
    vendorCode: n.responseCode ? String(n.responseCode) : n.code,
    cause: e,
  };
  const reply = n.response ?? (e as Error).message;
  if (n.code === 'EAUTH')
    return new ProviderError('authentication', 'the SMTP server refused the login', details);
  // The relay's name resolved to a non-public address (production's endpoint policy): an operator's to fix.
  if (n.code === 'ENONPUBLIC') return new ProviderError('configuration', (e as Error).message, details);
  if (n.code === 'ETLS')
    return new ProviderError('configuration', 'TLS with the SMTP server failed', details);
  if (n.responseCode && n.responseCode >= 500) return new ProviderError('rejected', reply, details);
  if (n.responseCode && n.responseCode >= 400) return new ProviderError('unavailable', reply, details);
  if (n.code && TRANSIENT_CODES.has(n.code))
    return new ProviderError('unavailable', `SMTP server unreachable (${n.code})`, details);
  if (n.code === 'EENVELOPE' || n.code === 'EMESSAGE') return new ProviderError('rejected', reply, details);
  return new ProviderError('unavailable', `SMTP failed: ${(e as Error).message}`, details);
}
