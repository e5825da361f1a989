-- Documents (issue 12): what Plinth stores through a tenant's document_storage provider (S3 or the local
-- filesystem), and each tenant's upload policy.

CREATE TABLE documents (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  owner_type text NOT NULL CHECK (owner_type IN ('customer', 'loan', 'tenant')),
  owner_id uuid,
  kind text NOT NULL,
  filename text,
  content_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  -- the SHA-256 the uploader declared (pending) or Plinth computed (generated); a stored object matches it
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text NOT NULL,
  -- the config that holds the object: downloads and deletion go there even after the default changes
  provider_config_id uuid NOT NULL,
  provider_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending_upload', 'stored', 'deleted')),
  upload_expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  stored_at timestamptz,
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  CHECK ((owner_type = 'tenant') = (owner_id IS NULL)),
  CHECK ((status = 'stored') <= (stored_at IS NOT NULL)),
  CHECK ((status = 'deleted') = (deleted_at IS NOT NULL))
);
CREATE UNIQUE INDEX documents_storage_key ON documents (tenant_id, storage_key);
CREATE INDEX documents_owner ON documents (tenant_id, owner_type, owner_id, id);

CREATE TABLE document_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  max_bytes bigint NOT NULL CHECK (max_bytes > 0),
  allowed_content_types text[] NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
