-- The operator console (issue 14).

-- The loan list filters by status, program, customer or days past due, newest first, one page at a time: each filter walks
-- its own index in id order and stops after a page, instead of scanning the tenant's loans.
CREATE INDEX loans_by_status ON loans (tenant_id, status, id);
CREATE INDEX loans_by_program ON loans (tenant_id, program_id, id);
CREATE INDEX loans_by_customer ON loans (tenant_id, customer_id, id) WHERE customer_id IS NOT NULL;
-- Loans past due are few next to the book: a partial index in id order, filtered by the number of days.
CREATE INDEX loans_past_due ON loans (tenant_id, id) WHERE days_past_due > 0;

-- A key issued by a console sign-in link lives for a working day, not for ever.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;

-- Single-use, short-lived links that sign a browser in to the console (`plinth demo --serve` prints one). Only the
-- token's SHA-256 is stored; using it issues an expiring API key of the link's role and marks the link used.
CREATE TABLE console_sign_in_links (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  token_hash bytea NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
-- Signing in looks a link up by its hash before the tenant is known.
CREATE INDEX console_sign_in_links_by_hash ON console_sign_in_links (token_hash);
