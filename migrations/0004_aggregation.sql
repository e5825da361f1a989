-- Aggregation: a customer's connections to financial-data providers, the accounts, transactions, holdings and
-- balance snapshots they bring, OAuth states, sync runs and file imports. tenant_id leads every key.

CREATE TABLE financial_connections (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  provider_key text NOT NULL,
  auth_type text NOT NULL CHECK (auth_type IN ('oauth', 'api_key', 'file_import', 'link_token', 'certificate')),
  -- the tenant's provider config this connection was made with; syncs keep using it
  provider_config_id uuid NOT NULL,
  status text NOT NULL
    CHECK (status IN ('pending', 'active', 'expired', 'revoked', 'failed', 'disconnected')),
  status_reason text,
  -- a Fernet token under the tenant's connection-credentials key; its plaintext names this row. Never returned.
  credentials text,
  connected_at timestamptz,
  last_sync_at timestamptz,
  next_sync_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, provider_config_id) REFERENCES provider_configs (tenant_id, id)
);
CREATE INDEX financial_connections_by_customer ON financial_connections (tenant_id, customer_id);
-- The scheduler looks for due connections across tenants.
CREATE INDEX financial_connections_due ON financial_connections (next_sync_at) WHERE status = 'active';
-- One live file-import connection per customer and provider: every import of that customer's files lands there.
CREATE UNIQUE INDEX financial_connections_one_file_import ON financial_connections (tenant_id, customer_id, provider_key)
  WHERE auth_type = 'file_import' AND status <> 'disconnected';

CREATE TABLE financial_oauth_states (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  -- SHA-256 of the state: the state itself travels only through the browser
  state_hash bytea NOT NULL,
  connection_id uuid NOT NULL,
  provider_key text NOT NULL,
  redirect_uri text NOT NULL,
  return_url text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, state_hash),
  FOREIGN KEY (tenant_id, connection_id) REFERENCES financial_connections (tenant_id, id)
);
-- The public callback finds a state by its hash before the tenant is known.
CREATE INDEX financial_oauth_states_by_hash ON financial_oauth_states (state_hash);

CREATE TABLE financial_accounts (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  connection_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  provider_account_id text NOT NULL,
  account_number_masked text,
  name text NOT NULL,
  account_type text NOT NULL CHECK (account_type IN ('checking', 'savings', 'money_market',
    'certificate_of_deposit', 'credit_card', 'line_of_credit', 'brokerage', 'retirement', 'other')),
  currency text NOT NULL,
  -- minor units, from the holder's side: a card balance owed is negative
  balance bigint,
  available_balance bigint,
  cash_balance bigint,
  balance_as_of timestamptz,
  institution_name text,
  institution_id text,
  is_active boolean NOT NULL DEFAULT true,
  last_synced_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, connection_id) REFERENCES financial_connections (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
-- An account is the provider's account as seen through one connection.
CREATE UNIQUE INDEX financial_accounts_provider_id ON financial_accounts (tenant_id, connection_id, provider_account_id);
CREATE INDEX financial_accounts_by_customer ON financial_accounts (tenant_id, customer_id);

CREATE TABLE financial_transactions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  provider_transaction_id text NOT NULL,
  -- 0 for the first row with this provider id in the account; 1, 2, ... for rows kept beside it (reused FITIDs)
  variant smallint NOT NULL DEFAULT 0,
  transaction_type text NOT NULL,
  subtype text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'settled', 'failed', 'cancelled')),
  -- minor units, signed from the holder's side: money in is positive
  amount bigint NOT NULL,
  currency text NOT NULL,
  description text NOT NULL,
  memo text,
  transaction_date date NOT NULL,
  settlement_date date,
  -- the provider id of the pending transaction this one replaced
  pending_transaction_id text,
  check_number text,
  symbol text,
  quantity numeric,
  unit_price numeric,
  commission bigint,
  needs_review boolean NOT NULL DEFAULT false,
  review_reason text CHECK (review_reason IN ('fitid_conflict', 'fitid_repeated')),
  -- pending rows: the last day of the newest sync window or file that still reported them
  observed_through date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES financial_accounts (tenant_id, id)
);
-- Deduplication is per account, never across accounts.
CREATE UNIQUE INDEX financial_transactions_provider_id
  ON financial_transactions (tenant_id, account_id, provider_transaction_id, variant);
CREATE INDEX financial_transactions_by_date ON financial_transactions (tenant_id, account_id, transaction_date);
CREATE INDEX financial_transactions_pending ON financial_transactions (tenant_id, account_id)
  WHERE status = 'pending';

CREATE TABLE financial_holdings (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  provider_holding_id text NOT NULL,
  symbol text NOT NULL,
  security_name text NOT NULL,
  asset_type text NOT NULL CHECK (asset_type IN ('equity', 'etf', 'mutual_fund', 'option', 'fixed_income',
    'cash_equivalent', 'cryptocurrency', 'other')),
  quantity numeric NOT NULL,
  cost_basis bigint,
  market_value bigint,
  currency text NOT NULL,
  average_price numeric,
  current_price numeric,
  as_of timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES financial_accounts (tenant_id, id)
);
CREATE UNIQUE INDEX financial_holdings_provider_id ON financial_holdings (tenant_id, account_id, provider_holding_id);

CREATE TABLE financial_sync_runs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  connection_id uuid NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('initial', 'manual', 'scheduled')),
  scope text NOT NULL CHECK (scope IN ('all', 'accounts', 'holdings')),
  source text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  window_start date,
  window_end date,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  result jsonb,
  error_kind text,
  error_code text,
  error_message text,
  retry_after_seconds integer,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, connection_id) REFERENCES financial_connections (tenant_id, id)
);
-- One sync at a time per connection.
CREATE UNIQUE INDEX financial_sync_runs_one_running ON financial_sync_runs (tenant_id, connection_id)
  WHERE status = 'running';
CREATE INDEX financial_sync_runs_by_connection ON financial_sync_runs (tenant_id, connection_id, started_at);

CREATE TABLE financial_imports (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  connection_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  provider_key text NOT NULL,
  file_name text,
  file_format text NOT NULL,
  byte_size integer NOT NULL,
  sha256 text NOT NULL,
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, connection_id) REFERENCES financial_connections (tenant_id, id)
);

CREATE TABLE financial_balance_snapshots (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  source text NOT NULL CHECK (source IN ('account_sync', 'holdings_sync', 'manual_sync', 'scheduled_sync',
    'initial_connection', 'file_import')),
  balance bigint,
  available_balance bigint,
  cash_balance bigint,
  holdings_value bigint,
  currency text NOT NULL,
  -- when the source says the balance was true (the file's DTASOF, or the sync time)
  as_of timestamptz NOT NULL,
  sync_run_id uuid,
  import_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES financial_accounts (tenant_id, id)
);
CREATE INDEX financial_balance_snapshots_by_account ON financial_balance_snapshots (tenant_id, account_id, as_of);

-- Per-tenant secrets of this module, sealed under the master key (re-sealed by `plinth keys rotate`, never changed):
-- the key that turns OFX account identities into pseudonyms.
CREATE TABLE financial_tenant_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  purpose text NOT NULL,
  sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, purpose)
);
