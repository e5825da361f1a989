-- Communications (issue 12): the outbox of e-mail, SMS and letters, each message's timed events, contact
-- preferences and opt-outs, per-tenant template overrides and communication settings.

CREATE TABLE messages (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
  template_key text NOT NULL,
  customer_id uuid,
  loan_id uuid,
  program_id uuid,
  -- the address it goes to: {email, name} | {phone} | {name, address}
  recipient jsonb NOT NULL,
  -- what was rendered: {subject, html, text} | {body} | {body} (the letter's PDF is document_id)
  content jsonb NOT NULL,
  document_id uuid,
  -- stored documents an e-mail carries as attachments
  attachment_ids uuid[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'undeliverable')),
  status_reason text,
  provider_config_id uuid,
  provider_key text,
  provider_message_id text,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK ((status IN ('queued', 'undeliverable')) OR provider_config_id IS NOT NULL)
);
CREATE INDEX messages_created ON messages (tenant_id, id DESC);
CREATE INDEX messages_status ON messages (status, next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE UNIQUE INDEX messages_provider_id ON messages (tenant_id, provider_config_id, provider_message_id);

-- Every transition of a message: when, from where (api, dispatch, webhook, hook) and why. A provider's event id
-- is unique per message, so a webhook delivered twice is recorded once.
CREATE TABLE message_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  message_id uuid NOT NULL,
  status text NOT NULL,
  source text NOT NULL CHECK (source IN ('api', 'dispatch', 'webhook', 'hook')),
  reason text,
  provider_event_id text,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id)
);
CREATE INDEX message_events_message ON message_events (tenant_id, message_id, id);
CREATE UNIQUE INDEX message_events_provider ON message_events (tenant_id, message_id, provider_event_id);

-- A customer's choice per channel (absent: allowed).
CREATE TABLE contact_preferences (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  customer_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
  allowed boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id, channel)
);

-- Addresses that must not be contacted on a channel (an SMS STOP reply, a SendGrid unsubscribe or spam report).
CREATE TABLE opt_outs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  address text NOT NULL,
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel, address)
);

CREATE TABLE template_overrides (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  template_key text NOT NULL,
  content jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, template_key)
);

-- The lender as messages name it, and the tenant's send rate.
CREATE TABLE communication_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  lender jsonb NOT NULL,
  rate_per_second integer NOT NULL CHECK (rate_per_second > 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
