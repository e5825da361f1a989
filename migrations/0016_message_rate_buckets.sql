-- The outbox's per-tenant send rate, shared by every worker process (issue 12): one token bucket per tenant that
-- each claim refills (by the time since the last claim, up to one second's worth) and takes from, in the claim's
-- own statement, so N processes together send at most the tenant's rate.
CREATE TABLE message_rate_buckets (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  tokens double precision NOT NULL,
  -- what the latest claim took (the claim statement reads it back to know how many messages it may move)
  granted integer NOT NULL,
  refilled_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id)
);
