import { Registry } from '../../providers/index.js';
import type { StorageDefinition } from './domain/storage.js';
import { localStorageProvider } from './providers/local/index.js';
import { s3StorageProvider } from './providers/s3/index.js';

declare module '../../providers/index.js' {
  interface Capabilities {
    document_storage: StorageDefinition;
  }
}

export const STORAGE_PROVIDERS: readonly StorageDefinition[] = [
  s3StorageProvider as StorageDefinition,
  localStorageProvider as StorageDefinition,
];

/** The document-storage providers Plinth ships. */
export const documentsRegistries = (): Registry[] => [
  new Registry<StorageDefinition>('document_storage').registerAll(STORAGE_PROVIDERS),
];
