-- Compliance (issue 13): every rule evaluation at a hook point, kept for audit, and the OFAC SDN lists operators
-- load (the last one that parsed is active).
CREATE TABLE compliance_checks (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  -- one gate call evaluates several rules: they share the evaluation id
  evaluation_id uuid NOT NULL,
  hook text NOT NULL CHECK (hook IN ('quote', 'approval', 'disbursement', 'fee_assessment', 'rate_change',
    'payment_collection', 'message_send', 'customer_onboarding')),
  subject_type text NOT NULL,
  subject_id text,
  program_id uuid,
  rule text NOT NULL,
  provider_config_id uuid NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('pass', 'warn', 'block')),
  reasons jsonb NOT NULL,
  citation text NOT NULL,
  facts jsonb,
  remedy jsonb,
  request_id text,
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX compliance_checks_by_subject ON compliance_checks (tenant_id, subject_type, subject_id, at);
-- compliance_exceptions and GET /v1/compliance/checks?outcome=: the warns and blocks of a period
CREATE INDEX compliance_checks_exceptions ON compliance_checks (tenant_id, at) WHERE outcome <> 'pass';

CREATE TABLE ofac_lists (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'superseded')),
  source text,
  entries integer NOT NULL,
  aliases integer NOT NULL,
  sdn_sha256 text NOT NULL,
  -- the files as uploaded: every process builds its index from them
  sdn_csv text NOT NULL,
  alt_csv text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ofac_lists_one_active ON ofac_lists (tenant_id) WHERE status = 'active';

-- Reporting (issue 13): a run of a report generator, its progress, and where its output is stored.
CREATE TABLE report_runs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  generator text NOT NULL,
  params jsonb NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'jsonl', 'xlsx')),
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  rows_written bigint NOT NULL DEFAULT 0,
  summary jsonb,
  chart jsonb,
  -- the stored output: a path under the data directory (document storage once that module exists)
  location text,
  bytes bigint,
  error text,
  requested_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
