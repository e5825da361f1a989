// The documents module's tables: documents and each tenant's upload policy. Queries live in each feature's
// store.ts; no other module touches these tables.
import { bigint, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { DocumentKind, DocumentStatus, OwnerType } from './domain/policy.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const documents = pgTable(
  'documents',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    ownerType: text('owner_type').$type<OwnerType>().notNull(),
    ownerId: uuid('owner_id'),
    kind: text('kind').$type<DocumentKind>().notNull(),
    filename: text('filename'),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    providerKey: text('provider_key').notNull(),
    status: text('status').$type<DocumentStatus>().notNull(),
    uploadExpiresAt: at('upload_expires_at'),
    createdAt: at('created_at').notNull().defaultNow(),
    storedAt: at('stored_at'),
    deletedAt: at('deleted_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const documentSettings = pgTable('document_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  maxBytes: bigint('max_bytes', { mode: 'number' }).notNull(),
  allowedContentTypes: text('allowed_content_types').array().notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

export type DocumentRow = typeof documents.$inferSelect;
