-- Card authorizations: expense categories, lines of credit and their expense trackers, the card registry,
-- authorization requests with every message received and the holds each placed per line, and the funding outbox
-- of loan-owned lines. Names carry a `card_` prefix so they are never confused with lending's lines of credit.
--
-- The decision path writes only card_expense_trackers and the three log tables (requests, messages, holds), in
-- one short transaction per batch (card_apply_batch, src/modules/card-authorizations/sql/). The log tables have no foreign keys: every
-- row is written by that one function, and a foreign key to a hot parent row (the tenant) would take a KEY SHARE
-- lock on it for every insert.

CREATE TABLE card_expense_categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  -- machine-readable, unique within the tenant, terminated or not
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  name text NOT NULL,
  description text,
  reference text,
  created_at timestamptz NOT NULL DEFAULT now(),
  terminated_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX card_expense_categories_code ON card_expense_categories (tenant_id, code);

CREATE TABLE card_lines_of_credit (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  expense_category_id uuid NOT NULL,
  owner_type text NOT NULL CHECK (owner_type ~ '^[a-z][a-z0-9_]{0,63}$'),
  owner_ref uuid NOT NULL,
  -- ISO 4217: credits are minor units of this currency; payments in another currency are declined
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  terminated_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, expense_category_id) REFERENCES card_expense_categories (tenant_id, id)
);
-- The seed's invariant: one open line per owner and category.
CREATE UNIQUE INDEX card_lines_of_credit_one_open
  ON card_lines_of_credit (tenant_id, owner_type, owner_ref, expense_category_id) WHERE terminated_at IS NULL;
CREATE INDEX card_lines_of_credit_by_owner ON card_lines_of_credit (owner_ref, owner_type);

-- The hot rows. Invariant: 0 <= expensed_credits. expensed_credits may exceed credits_limit, but only through
-- postings the engine must accept (a clearing above its authorization, a force post, an approval the platform
-- gave on our fallback, a lowered limit); an authorization never takes a line over its limit.
CREATE TABLE card_expense_trackers (
  tenant_id uuid NOT NULL,
  line_of_credit_id uuid NOT NULL,
  credits_limit bigint NOT NULL DEFAULT 0 CHECK (credits_limit >= 0),
  expensed_credits bigint NOT NULL DEFAULT 0 CHECK (expensed_credits >= 0),
  -- mirrors the line's terminated_at in the same transaction, so a reservation that commits after a termination
  -- sees it under the row lock instead of trusting a cache
  terminated boolean NOT NULL DEFAULT false,
  -- No foreign key to the line: both are created in one transaction, and a foreign-key check would run on
  -- every update of a row that the same transaction already updated (a hot line, many times per batch).
  PRIMARY KEY (tenant_id, line_of_credit_id)
) WITH (fillfactor = 50); -- room on each page for HOT updates of the same row

CREATE TABLE card_cards (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  -- the issuing platform's card id (Stripe ic_…, a Lithic token, a generic platform's id)
  card_id text NOT NULL CHECK (length(card_id) BETWEEN 1 AND 255),
  owner_type text NOT NULL CHECK (owner_type ~ '^[a-z][a-z0-9_]{0,63}$'),
  owner_ref uuid NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX card_cards_card_id ON card_cards (tenant_id, card_id);
CREATE INDEX card_cards_by_owner ON card_cards (owner_ref, owner_type);

CREATE TABLE card_authorization_requests (
  tenant_id uuid NOT NULL,
  -- the relay's provider key, scoped to its config when the platform's ids are not globally unique
  provider text NOT NULL,
  external_id text NOT NULL,
  -- Plinth's own id of the request (time-ordered), for the API
  id uuid NOT NULL,
  provider_config_id uuid,
  card_id text NOT NULL,
  owner_type text,
  owner_ref uuid,
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN
    ('approved', 'declined', 'partially_cleared', 'cleared', 'reversed', 'expired', 'refunded')),
  decline_reason text,
  -- approved by us (authorization and increments), or by the platform on our fallback
  amount_authorized bigint NOT NULL DEFAULT 0,
  -- reserved and not yet cleared, reversed or expired; equal on every line of the request
  amount_held bigint NOT NULL DEFAULT 0 CHECK (amount_held >= 0),
  amount_cleared bigint NOT NULL DEFAULT 0,
  amount_released bigint NOT NULL DEFAULT 0,
  amount_refunded bigint NOT NULL DEFAULT 0,
  -- booked without passing the limit check: approvals the platform gave on our fallback (or without us),
  -- clearings above the hold, after expiry, or with no authorization at all (force posts)
  amount_forced bigint NOT NULL DEFAULT 0,
  force_posted boolean NOT NULL DEFAULT false,
  expense_category_ids uuid[] NOT NULL DEFAULT '{}',
  merchant jsonb NOT NULL DEFAULT '{}',
  -- the seed's authorization_metadata: what the layers passed along (category codes, platform details)
  metadata jsonb NOT NULL DEFAULT '{}',
  -- when Plinth releases a hold the platform never cleared or released
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- The seed's uniqueness per (provider, external_id), as the key the decision path looks requests up by.
  PRIMARY KEY (tenant_id, provider, external_id)
);
-- On the log tables the key is the only index that starts with tenant_id. The decision function keeps its plans
-- for the session, and a plan made while a table was empty sees every tenant_id-led index as equally good: a
-- second one could be chosen for its tenant_id prefix alone and scan the whole tenant once the table has grown.
CREATE INDEX card_authorization_requests_by_id ON card_authorization_requests (id);
CREATE INDEX card_authorization_requests_by_card ON card_authorization_requests (card_id);
CREATE INDEX card_authorization_requests_expiring ON card_authorization_requests (expires_at) WHERE amount_held > 0;

CREATE TABLE card_authorization_messages (
  tenant_id uuid NOT NULL,
  provider text NOT NULL,
  -- the platform's message id: a repeated one is a replay and gets the stored decision back
  message_id text NOT NULL,
  -- Plinth's own id of the message (time-ordered; the funding outbox references it)
  id uuid NOT NULL,
  request_id uuid,
  external_id text,
  provider_config_id uuid,
  kind text NOT NULL,
  amount bigint NOT NULL DEFAULT 0,
  currency text,
  -- the stored decision (for notifications: whether it was applied)
  approved boolean NOT NULL,
  reason_code text NOT NULL,
  approved_amount bigint NOT NULL DEFAULT 0,
  -- the relay answered with the configured fallback; engine_reason is what the engine itself decided
  answered_by_fallback boolean NOT NULL DEFAULT false,
  engine_reason text,
  detail text,
  payload jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider, message_id)
);
CREATE INDEX card_authorization_messages_by_request ON card_authorization_messages (request_id);

-- Which line reserved how much for a request, so releases and clearings move exactly what each line holds.
CREATE TABLE card_authorization_holds (
  tenant_id uuid NOT NULL,
  request_id uuid NOT NULL,
  line_of_credit_id uuid NOT NULL,
  held bigint NOT NULL DEFAULT 0 CHECK (held >= 0),
  reserved bigint NOT NULL DEFAULT 0,
  cleared bigint NOT NULL DEFAULT 0,
  released bigint NOT NULL DEFAULT 0,
  refunded bigint NOT NULL DEFAULT 0,
  forced bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, request_id, line_of_credit_id)
);

-- Postings on loan-owned lines, for the lending module to draw (or credit back) on the loan. Written in the same
-- transaction as the clearing, processed by a job, retried, and idempotent on (reference, loan).
CREATE TABLE card_funding_outbox (
  tenant_id uuid NOT NULL,
  -- the card_authorization_messages row that posted: the idempotency key handed to the lending side
  reference uuid NOT NULL,
  loan_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('draw', 'refund')),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  occurred_at timestamptz NOT NULL,
  request_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  PRIMARY KEY (tenant_id, reference, loan_id)
);
CREATE INDEX card_funding_outbox_due ON card_funding_outbox (next_attempt_at) WHERE status = 'pending';

-- The composite types card_apply_batch (src/modules/card-authorizations/sql/) exchanges with the engine
-- and with itself, key-probe updates of the expense trackers, and the lifecycle messages' effect on a request.
--
-- Its statements are all keyed lookups, and must stay so however the tables grow: PL/pgSQL keeps their plans for
-- the session's life, and PGlite never runs autovacuum to refresh statistics. So every lookup is on its table's
-- key, the only index of that table that starts with tenant_id (see above), lookups driven by the
-- batch's items are LATERAL and fenced with OFFSET 0 (a join the planner could reorder by stale estimates stays a
-- per-item probe), and sequential and bitmap scans are off.

-- A batch item, as the engine sends it (src/modules/card-authorizations/engine/items.ts).
CREATE TYPE card_batch_item AS (
  seq integer, tenant_id uuid, provider text, external_id text, message_id text, provider_config_id uuid,
  kind text, amount bigint, currency text, card_id text, owner_type text, owner_ref uuid, lines uuid[],
  category_ids uuid[], card_decline text, lines_decline text, invalid_reason text, detail text,
  partial_allowed boolean, single_message boolean, requires_decision boolean, told text, advice_approved boolean,
  new_request_id uuid, message_row_id uuid, expires_at timestamptz, occurred_at timestamptz, merchant jsonb,
  metadata jsonb, payload jsonb);

-- A request's state after its item, with the lines it holds (equal amounts on each) and what it posted.
CREATE TYPE card_batch_request AS (
  seq integer, id uuid, status text, decline text, auth bigint, held bigint, cleared bigint, released bigint,
  refunded bigint, forced bigint, force_posted boolean, lines uuid[], post text, post_amount bigint);

-- The decision stored for an item's message.
CREATE TYPE card_batch_message AS (
  seq integer, request uuid, approved boolean, reason text, amount bigint, fallback boolean, engine text);

-- What the batch knows of a request while it applies one item to it, and the item's outcome. `lines` are the
-- lines the request holds (the same amounts on each), or those a first posting charges.
CREATE TYPE card_request_state AS (
  is_new boolean, currency text, status text, decline text, auth bigint, held bigint, cleared bigint,
  released bigint, refunded bigint, forced bigint, force_posted boolean, lines uuid[],
  ok boolean, reason text, amount bigint, post text, changed boolean);
