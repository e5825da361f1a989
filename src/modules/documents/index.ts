// The documents module's public surface: documents (uploads, generated documents, downloads, deletion), the
// tenant's upload policy, and the document_storage capability.
export { attachmentDisposition } from './domain/disposition.js';
export {
  checkDocument,
  DEFAULT_POLICY,
  type DocumentKind,
  type DocumentPolicy,
  type OwnerType,
  sha256Hex,
} from './domain/policy.js';
export type { DocumentStorage, PresignedRequest, StorageDefinition } from './domain/storage.js';
export { type Documents, documentsModule } from './module.js';
export type { Document, NewDocument, Owner } from './records/model.js';
export { documentJson } from './records/routes.js';
export type { DocumentService } from './records/service.js';
export { STORAGE_PROVIDERS } from './registry.js';
export type { DocumentSettingsService } from './settings/service.js';
