import { join } from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../../../../kernel/errors.js';
import type { StorageDefinition } from '../../domain/storage.js';
import { LocalStorage } from './client.js';

export const localConfigSchema = z.strictObject({
  /** The HMAC key of the store's URLs (at least 32 characters: `openssl rand -hex 32`). */
  signing_secret: z.string().min(32).max(512),
});
export type LocalConfig = z.infer<typeof localConfigSchema>;

/**
 * Files under `$PLINTH_DATA_DIR/documents` on the Plinth host, for development and single-host deployments:
 * Plinth serves the upload and download URLs itself, HMAC-signed and expiring. The folder is the deployment's,
 * never a tenant's choice.
 */
export const localStorageProvider: StorageDefinition<LocalConfig> = {
  serviceType: 'document_storage',
  key: 'local',
  displayName: 'Local filesystem',
  metadata: {
    documentation: 'src/modules/documents/README.md',
    requiredSettings: ['signing_secret'],
    testedWith: 'built-in',
    category: 'filesystem',
    authType: 'signed_url',
    capabilities: ['presigned_upload', 'presigned_download', 'put', 'get', 'delete'],
  },
  configSchema: localConfigSchema,
  secretFields: ['signing_secret'],
  create(config, deps) {
    if (!deps.dataDir)
      throw new ConfigurationError('local document storage needs PLINTH_DATA_DIR', 'storage_not_configured');
    return new LocalStorage({
      root: join(deps.dataDir, 'documents'),
      signingSecret: config.signing_secret,
      now: deps.now,
    });
  },
};
