import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Credentials must never reach a log. Code never logs provider configs or credentials on purpose; these paths
 * catch the accidents (a request header, an error object carrying a config).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["stripe-signature"]',
  'req.headers["webhook-signature"]',
  'req.headers["plinth-signature"]',
  'req.headers["apca-api-key-id"]',
  'req.headers["apca-api-secret-key"]',
  'headers.authorization',
  'config',
  'credentials',
  '*.config',
  '*.credentials',
  '*.api_key',
  '*.apiKey',
  '*.secret',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.webhook_secret',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    destination,
  );
}
