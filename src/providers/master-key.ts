import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../kernel/config.js';
import { generateFernetKey } from '../kernel/crypto/fernet.js';
import { ConfigurationError } from '../kernel/errors.js';
import type { Logger } from '../kernel/logging.js';
import { KeyRing } from './credentials.js';

/**
 * The master key ring. In production PROVIDER_ENCRYPTION_KEY is required. In development, without it, a key is
 * generated once into the data directory (mode 0600) so `npm start` works out of the box; the warning says so.
 */
export function loadKeyRing(
  config: Pick<Config, 'PROVIDER_ENCRYPTION_KEY' | 'NODE_ENV' | 'PLINTH_DATA_DIR'>,
  logger: Logger,
): KeyRing {
  if (config.PROVIDER_ENCRYPTION_KEY) return KeyRing.parse(config.PROVIDER_ENCRYPTION_KEY);
  if (config.NODE_ENV === 'production') {
    throw new ConfigurationError(
      'PROVIDER_ENCRYPTION_KEY is required when NODE_ENV=production (comma-separated Fernet keys; the first encrypts)',
    );
  }
  const file = join(config.PLINTH_DATA_DIR, 'provider-encryption.key');
  if (!existsSync(file)) {
    mkdirSync(config.PLINTH_DATA_DIR, { recursive: true });
    writeFileSync(file, `${generateFernetKey()}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    logger.warn(
      { file },
      'PROVIDER_ENCRYPTION_KEY is not set: generated a development key. Set PROVIDER_ENCRYPTION_KEY in production.',
    );
  }
  return KeyRing.parse(readFileSync(file, 'utf8').trim());
}
