-- Domain events (issue 12, item 7): a transactional outbox in the kernel. A module publishes an event in the same
-- statement or transaction as the change it reports (a loan's write, the completion of a close-of-business day);
-- the relay hands it to the subscribers (communications' messages) and deletes it once every one has taken it.
-- Subscribers are idempotent by the event's id, so a redelivery after a crash sends nothing twice.
CREATE TABLE domain_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  -- a relay holds the events it is handing out until then; a crashed relay's events are taken again after it
  claimed_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX domain_events_due ON domain_events (coalesce(claimed_until, '-infinity'::timestamptz), occurred_at);

-- A message produced by an event names it: one message per event, template and channel, whatever redelivers it.
ALTER TABLE messages ADD COLUMN event_key text;
CREATE UNIQUE INDEX messages_event_key ON messages (tenant_id, event_key) WHERE event_key IS NOT NULL;

-- Reminders go this many days before a payment is due: the tenant's default, and a program's own.
ALTER TABLE communication_settings ADD COLUMN payment_reminder_days integer NOT NULL DEFAULT 5
  CHECK (payment_reminder_days BETWEEN 0 AND 60);
CREATE TABLE communication_program_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  program_id uuid NOT NULL,
  payment_reminder_days integer NOT NULL CHECK (payment_reminder_days BETWEEN 0 AND 60),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, program_id),
  FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);

-- A message's first transition names what created it: `event` for one a domain event produced.
ALTER TABLE message_events DROP CONSTRAINT message_events_source_check;
ALTER TABLE message_events ADD CONSTRAINT message_events_source_check
  CHECK (source IN ('api', 'dispatch', 'webhook', 'hook', 'event'));
