import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { DEFAULT_POLICY, type DocumentPolicy, mediaType } from '../domain/policy.js';
import * as store from './store.js';

/** Each tenant's upload policy (largest document, allowed content types); the defaults until it sets one. */
export class DocumentSettingsService {
  constructor(private readonly deps: { db: Db; audit: AuditWriter }) {}

  async policy(tenantId: string): Promise<DocumentPolicy> {
    return (await store.findPolicy(this.deps.db, tenantId)) ?? DEFAULT_POLICY;
  }

  async update(scope: Scope, policy: DocumentPolicy): Promise<DocumentPolicy> {
    const normal = {
      maxBytes: policy.maxBytes,
      allowedContentTypes: [...new Set(policy.allowedContentTypes.map(mediaType))].sort(),
    };
    await this.deps.db.transaction(async (tx) => {
      await store.savePolicy(tx, scope.tenantId, normal);
      await this.deps.audit(tx, scope, {
        action: 'document_settings.updated',
        entityType: 'document_settings',
        entityId: null,
        changes: { max_bytes: normal.maxBytes, allowed_content_types: normal.allowedContentTypes },
      });
    });
    return normal;
  }
}
