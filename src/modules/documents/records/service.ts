import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import type { ProviderResolver, ResolvedProvider } from '../../../providers/index.js';
import { checkDocument, mediaType, sha256Hex, storageKey, uploadMismatch } from '../domain/policy.js';
import type { PresignedRequest } from '../domain/storage.js';
import type { DocumentSettingsService } from '../settings/service.js';
import {
  attempt,
  DOWNLOAD_URL_SECONDS,
  type Document,
  type NewDocument,
  notConfigured,
  type Owner,
  type OwnerLookup,
  UPLOAD_URL_SECONDS,
  type UploadRequest,
} from './model.js';
import * as store from './store.js';

/**
 * Documents: uploads by presigned URL confirmed against their declared size and SHA-256, documents Plinth
 * generates (put), downloads by presigned URL, deletion. Each document keeps the provider config that holds it.
 */
export class DocumentService {
  constructor(
    private readonly deps: {
      db: Db;
      resolver: ProviderResolver;
      audit: AuditWriter;
      settings: DocumentSettingsService;
      owners: OwnerLookup;
      publicUrl: string;
    },
  ) {}

  /** Paths the local store serves are made absolute, so every URL the API returns can be used as is. */
  #absolute(r: PresignedRequest): PresignedRequest {
    return { ...r, url: new URL(r.url, this.deps.publicUrl).href };
  }

  async #storage(scope: Scope, owner: Owner, programId?: string | null) {
    const found = await this.deps.owners(scope, owner);
    if (!found)
      return err(
        invalidField(
          owner.type === 'tenant' ? 'owner_type' : 'owner_id',
          `no such ${owner.type}`,
          'unknown_owner',
        ),
      );
    const resolved = await this.deps.resolver.resolve(
      scope.tenantId,
      'document_storage',
      programId ?? found.programId,
    );
    return resolved.source === 'none' ? err(notConfigured) : ok(resolved);
  }

  async #instance(doc: Document): Promise<Result<ResolvedProvider<'document_storage'>>> {
    const r = await this.deps.resolver.byId('document_storage', doc.providerConfigId, doc.tenantId);
    return r
      ? ok(r)
      : err(
          failure(
            'conflict',
            'document_storage_removed',
            'the provider config that holds this document was deleted',
          ),
        );
  }

  async requestUpload(
    scope: Scope,
    input: UploadRequest,
  ): Promise<Result<{ document: Document; upload: PresignedRequest }>> {
    const policy = await this.deps.settings.policy(scope.tenantId);
    const allowed = checkDocument(policy, input);
    if (!allowed.ok) return allowed;
    const storage = await this.#storage(scope, input.owner);
    if (!storage.ok) return storage;
    const id = uuidv7();
    const key = storageKey(scope.tenantId, id);
    const contentType = mediaType(input.contentType);
    const upload = await attempt(() =>
      storage.value.instance.getUploadUrl(key, {
        contentType,
        size: input.size,
        expiresInSeconds: UPLOAD_URL_SECONDS,
      }),
    );
    if (!upload.ok) return upload;
    const document = await this.deps.db.transaction(async (tx) => {
      const row = await store.insertDocument(tx, {
        tenantId: scope.tenantId,
        id,
        ownerType: input.owner.type,
        ownerId: input.owner.id,
        kind: input.kind,
        filename: input.filename ?? null,
        contentType,
        sizeBytes: input.size,
        sha256: input.sha256.toLowerCase(),
        storageKey: key,
        providerConfigId: storage.value.providerConfigId,
        providerKey: storage.value.providerKey,
        status: 'pending_upload',
        uploadExpiresAt: upload.value.expiresAt,
      });
      await this.#audit(tx, scope, 'document.upload_requested', row);
      return row;
    });
    return ok({ document, upload: this.#absolute(upload.value) });
  }

  /**
   * Confirms an upload: the stored object must have the declared size and SHA-256. A mismatch removes the object
   * (the document stays pending, so the client may upload again until its URL expires).
   */
  async confirm(scope: Scope, id: string): Promise<Result<Document>> {
    const found = await this.get(scope, id);
    if (!found.ok) return found;
    const doc = found.value;
    if (doc.status === 'stored') return ok(doc);
    if (doc.status === 'deleted')
      return err(failure('conflict', 'document_deleted', 'the document was deleted'));
    const provider = await this.#instance(doc);
    if (!provider.ok) return provider;
    const bytes = await attempt(() => provider.value.instance.get(doc.storageKey));
    if (!bytes.ok) return bytes;
    if (!bytes.value)
      return err(failure('conflict', 'upload_missing', 'nothing has been uploaded to the upload URL yet'));
    const mismatch = uploadMismatch(doc, bytes.value);
    if (mismatch) {
      const removed = await attempt(() => provider.value.instance.delete(doc.storageKey));
      if (!removed.ok) return removed;
      return err(mismatch);
    }
    return this.#markStored(scope, doc);
  }

  async #markStored(scope: Scope, doc: Document): Promise<Result<Document>> {
    return this.deps.db.transaction(async (tx) => {
      const row = await store.moveDocument(tx, scope.tenantId, doc.id, ['pending_upload'], 'stored');
      if (!row) {
        const now = await store.findDocument(tx, scope.tenantId, doc.id);
        return now?.status === 'stored'
          ? ok(now)
          : err(failure('conflict', 'document_deleted', 'the document was deleted'));
      }
      await this.#audit(tx, scope, 'document.stored', row);
      return ok(row);
    });
  }

  /**
   * An upload through a local-store URL (already verified by the route): stored only when it is exactly what was
   * declared, so a wrong body never replaces a file.
   */
  async receiveLocalUpload(
    doc: Document,
    bytes: Uint8Array,
    contentType: string | undefined,
  ): Promise<Result<Document>> {
    const scope: Scope = { tenantId: doc.tenantId, actor: { type: 'system', id: null } };
    if (doc.status !== 'pending_upload')
      return err(failure('conflict', 'upload_not_pending', `the document is ${doc.status}`));
    if (contentType === undefined || mediaType(contentType) !== doc.contentType)
      return err(failure('forbidden', 'invalid_signature', 'the upload URL is for another content type'));
    if (bytes.byteLength > doc.sizeBytes)
      return err(
        failure(
          'too_large',
          'document_too_large',
          `the upload is larger than the declared ${doc.sizeBytes} bytes`,
        ),
      );
    const mismatch = uploadMismatch(doc, bytes);
    if (mismatch) return err({ ...mismatch, kind: 'invalid' });
    const provider = await this.#instance(doc);
    if (!provider.ok) return provider;
    const put = await attempt(() =>
      provider.value.instance.put(doc.storageKey, bytes, { contentType: doc.contentType }),
    );
    if (!put.ok) return put;
    return this.#markStored(scope, doc);
  }

  /** A document Plinth generated (a letter, a statement), stored at once. */
  async store(scope: Scope, input: NewDocument): Promise<Result<Document>> {
    const contentType = mediaType(input.contentType);
    const allowed = checkDocument(await this.deps.settings.policy(scope.tenantId), {
      contentType,
      size: input.bytes.byteLength,
    });
    if (!allowed.ok) return allowed;
    const storage = await this.#storage(scope, input.owner, input.programId);
    if (!storage.ok) return storage;
    const id = uuidv7();
    const key = storageKey(scope.tenantId, id);
    const put = await attempt(() => storage.value.instance.put(key, input.bytes, { contentType }));
    if (!put.ok) return put;
    const document = await this.deps.db.transaction(async (tx) => {
      const inserted = await store.insertDocument(tx, {
        tenantId: scope.tenantId,
        id,
        ownerType: input.owner.type,
        ownerId: input.owner.id,
        kind: input.kind,
        filename: input.filename ?? null,
        contentType,
        sizeBytes: input.bytes.byteLength,
        sha256: sha256Hex(input.bytes),
        storageKey: key,
        providerConfigId: storage.value.providerConfigId,
        providerKey: storage.value.providerKey,
        status: 'stored',
        storedAt: new Date(),
      });
      await this.#audit(tx, scope, 'document.stored', inserted);
      return inserted;
    });
    return ok(document);
  }

  async get(scope: Scope, id: string): Promise<Result<Document>> {
    const row = isUuid(id) ? await store.findDocument(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('document'));
  }

  async list(scope: Scope, filter: store.DocumentFilter): Promise<Document[]> {
    if (filter.ownerId && !isUuid(filter.ownerId)) return [];
    return store.listDocuments(this.deps.db, scope.tenantId, {
      ...filter,
      before: filter.before && isUuid(filter.before) ? filter.before : undefined,
    });
  }

  /** A stored document's bytes (what letters attach and e-mails carry). */
  async read(scope: Scope, id: string): Promise<Result<{ document: Document; bytes: Uint8Array }>> {
    const found = await this.#stored(scope, id);
    if (!found.ok) return found;
    const provider = await this.#instance(found.value);
    if (!provider.ok) return provider;
    const bytes = await attempt(() => provider.value.instance.get(found.value.storageKey));
    if (!bytes.ok) return bytes;
    if (!bytes.value)
      return err(failure('conflict', 'document_missing', 'the stored object is missing from storage'));
    return ok({ document: found.value, bytes: bytes.value });
  }

  async downloadUrl(
    scope: Scope,
    id: string,
    expiresInSeconds = DOWNLOAD_URL_SECONDS.default,
  ): Promise<Result<PresignedRequest>> {
    const found = await this.#stored(scope, id);
    if (!found.ok) return found;
    const doc = found.value;
    const provider = await this.#instance(doc);
    if (!provider.ok) return provider;
    const url = await attempt(() =>
      provider.value.instance.getDownloadUrl(doc.storageKey, {
        contentType: doc.contentType,
        filename: doc.filename,
        expiresInSeconds,
      }),
    );
    return url.ok ? ok(this.#absolute(url.value)) : url;
  }

  async #stored(scope: Scope, id: string): Promise<Result<Document>> {
    const found = await this.get(scope, id);
    if (!found.ok || found.value.status === 'stored') return found;
    return err(failure('conflict', 'document_not_stored', `the document is ${found.value.status}`));
  }

  /** Removes the object, then marks the document deleted (a retry after a failed mark deletes nothing twice). */
  async delete(scope: Scope, id: string): Promise<Result<Document>> {
    const found = await this.get(scope, id);
    if (!found.ok) return found;
    const doc = found.value;
    if (doc.status === 'deleted') return ok(doc);
    const provider = await this.#instance(doc);
    if (!provider.ok) return provider;
    const removed = await attempt(() => provider.value.instance.delete(doc.storageKey));
    if (!removed.ok) return removed;
    return this.deps.db.transaction(async (tx) => {
      const row = await store.moveDocument(tx, scope.tenantId, id, ['pending_upload', 'stored'], 'deleted');
      if (!row) return ok((await store.findDocument(tx, scope.tenantId, id))!);
      await this.#audit(tx, scope, 'document.deleted', row);
      return ok(row);
    });
  }

  /** The document a local-store URL names (its key is `<tenant>/<document>`), for the route that serves it. */
  async byKey(
    tenantId: string,
    documentId: string,
  ): Promise<{ document: Document; provider: ResolvedProvider<'document_storage'> } | undefined> {
    if (!isUuid(tenantId) || !isUuid(documentId)) return undefined;
    const document = await store.findDocument(this.deps.db, tenantId, documentId);
    if (!document) return undefined;
    const provider = await this.#instance(document);
    return provider.ok ? { document, provider: provider.value } : undefined;
  }

  #audit(tx: Db, scope: Scope, action: string, row: Document) {
    return this.deps.audit(tx, scope, {
      action,
      entityType: 'document',
      entityId: row.id,
      changes: {
        kind: row.kind,
        owner_type: row.ownerType,
        owner_id: row.ownerId,
        size: row.sizeBytes,
        status: row.status,
      },
    });
  }
}
