-- Foundation: tenants, API keys, customers, the audit log, idempotency keys, provider configs and assignments,
-- lending programs.
-- Convention: every table carries tenant_id, and tenant_id leads every primary key and unique constraint, so the
-- schema can be distributed by tenant (Citus). `tenants` is the root: its id IS the tenant id.

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  time_zone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  -- the first characters of the key, shown in listings so a human can tell keys apart
  prefix text NOT NULL,
  -- SHA-256 of the whole key; the key itself is shown once and never stored
  key_hash bytea NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
-- Authentication looks a key up by its hash before the tenant is known.
CREATE INDEX api_keys_by_hash ON api_keys (key_hash);

CREATE TABLE customers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  external_ref text,
  legal_name text NOT NULL,
  email text,
  phone text,
  address jsonb,
  date_of_birth date,
  time_zone text,
  covered_military_borrower boolean NOT NULL DEFAULT false,
  active_duty_start_date date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX customers_external_ref ON customers (tenant_id, external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE audit_log (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL CHECK (actor_type IN ('api_key', 'admin', 'system')),
  actor_id text,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  -- the change, with secrets masked exactly as API responses mask them
  changes jsonb NOT NULL DEFAULT '{}',
  request_id text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_by_entity ON audit_log (tenant_id, entity_type, entity_id, occurred_at);

-- The audit log is append-only, whatever the application does.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  key text NOT NULL,
  request_hash text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  response_status integer,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE provider_configs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  label text NOT NULL,
  service_type text NOT NULL,
  provider_key text NOT NULL,
  -- a Fernet token under the tenant's derived key; its plaintext names this row's identity
  config text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  is_default boolean NOT NULL DEFAULT false,
  -- bumped on every change; cached provider instances are keyed by it
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
-- At most one active default per tenant and service type.
CREATE UNIQUE INDEX provider_configs_one_default ON provider_configs (tenant_id, service_type)
  WHERE is_default AND is_active AND deleted_at IS NULL;
-- Inbound webhooks (card relays) name a config by id before the tenant is known.
CREATE INDEX provider_configs_by_id ON provider_configs (id);

CREATE TABLE programs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  program_type text NOT NULL,
  currency text NOT NULL,
  terms jsonb NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE provider_assignments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  program_id uuid NOT NULL,
  service_type text NOT NULL,
  provider_config_id uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, program_id, service_type),
  FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id),
  FOREIGN KEY (tenant_id, provider_config_id) REFERENCES provider_configs (tenant_id, id)
);
