-- The provider framework's program overrides of a SET of configs (service types of which several providers are
-- active at once: compliance rules). A tenant's active configs of such a type all apply; a program may replace
-- the tenant's configs of one provider key by one config of that key, or switch the key off (no config).
CREATE TABLE provider_set_assignments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  program_id uuid NOT NULL,
  service_type text NOT NULL,
  provider_key text NOT NULL,
  -- NULL: the key is disabled for the program
  provider_config_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, program_id, service_type, provider_key),
  FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id),
  FOREIGN KEY (tenant_id, provider_config_id) REFERENCES provider_configs (tenant_id, id)
);
CREATE INDEX provider_set_assignments_by_config ON provider_set_assignments (tenant_id, provider_config_id);
