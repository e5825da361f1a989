-- Payments: stored payment methods at the tenant's processors, payments and their transitions, refunds, webhook
-- deliveries, each program's collection settings, and autopay. tenant_id leads every key.

-- A program's collection rules (payments module settings; lending's terms are not touched).
CREATE TABLE payment_program_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  program_id uuid NOT NULL,
  -- charged to the loan when a bank debit comes back (minor units of the program's currency)
  returned_payment_fee bigint NOT NULL DEFAULT 0 CHECK (returned_payment_fee >= 0),
  -- a collection above the payoff: refused, or taken as an overpayment credit
  overpayment text NOT NULL DEFAULT 'reject' CHECK (overpayment IN ('reject', 'credit')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, program_id),
  FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);

-- The processor's customer made for a Plinth customer under one config (Stripe customer, CIM profile).
CREATE TABLE processor_customers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  customer_id uuid NOT NULL,
  provider_config_id uuid NOT NULL,
  customer_ref text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id, provider_config_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, provider_config_id) REFERENCES provider_configs (tenant_id, id)
);

-- References to a method stored at a processor, and a masked description: never a card or account number.
CREATE TABLE payment_methods (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  provider_config_id uuid NOT NULL,
  provider_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('card', 'bank_account')),
  customer_ref text NOT NULL,
  method_ref text NOT NULL,
  brand text,
  last4 text,
  exp_month integer,
  exp_year integer,
  bank_name text,
  routing_number text,
  -- bank accounts: the holder's authorization of debits (IP address, user agent, when)
  mandate jsonb,
  -- whether a debit was initiated under it: later debits reuse the processor's mandate
  mandate_used boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'detached')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, provider_config_id) REFERENCES provider_configs (tenant_id, id)
);
CREATE INDEX payment_methods_by_customer ON payment_methods (tenant_id, customer_id);
-- A method stored twice at the processor (the same card) is one payment method here.
CREATE UNIQUE INDEX payment_methods_one_per_ref ON payment_methods (tenant_id, provider_config_id, method_ref);

CREATE TABLE payments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  -- the processor's idempotency key base and invoice number: every re-send of a call carries it
  reference text NOT NULL,
  -- the client's Idempotency-Key of the request that created it: a retry resumes this payment
  idempotency_key text,
  customer_id uuid NOT NULL,
  payment_method_id uuid NOT NULL,
  provider_config_id uuid NOT NULL,
  provider_key text NOT NULL,
  loan_id uuid,
  program_id uuid,
  source text NOT NULL CHECK (source IN ('api', 'collection', 'autopay')),
  autopay_due_date date,
  kind text NOT NULL CHECK (kind IN ('card', 'bank_account')),
  currency text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  capture boolean NOT NULL,
  -- bank debits: the charge carries the holder's authorization (the method's first debit); decided once, so a
  -- re-sent charge is the same request
  with_mandate boolean NOT NULL DEFAULT false,
  description text,
  state text NOT NULL,
  -- the facts the state is derived from (domain/states.ts)
  stage text NOT NULL,
  amount_authorized bigint NOT NULL DEFAULT 0,
  amount_captured bigint NOT NULL DEFAULT 0,
  amount_refunded bigint NOT NULL DEFAULT 0,
  dispute text CHECK (dispute IN ('open', 'won', 'lost')),
  -- a call whose outcome is not known yet (authorize, capture, void), and its amount
  operation text CHECK (operation IN ('authorize', 'capture', 'void')),
  operation_amount bigint,
  operation_started_at timestamptz,
  processor_id text,
  decline_code text,
  decline_vendor_code text,
  decline_message text,
  return_code text,
  error text,
  -- the loan's application of this payment (a loan payment event), the returned-payment fee, a refusal
  loan_applied bigint NOT NULL DEFAULT 0,
  loan_event_id uuid,
  loan_fee_charged boolean NOT NULL DEFAULT false,
  loan_error text,
  -- every change bumps it, with a payment_transitions row of that number
  version integer NOT NULL DEFAULT 1,
  -- when the reconciler looks at it next (null: nothing to look at)
  next_check_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_method_id) REFERENCES payment_methods (tenant_id, id),
  FOREIGN KEY (tenant_id, provider_config_id) REFERENCES provider_configs (tenant_id, id)
);
CREATE UNIQUE INDEX payments_reference ON payments (tenant_id, reference);
CREATE UNIQUE INDEX payments_idempotency_key ON payments (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Autopay collects an installment once: a rerun of close of business finds the payment already there.
CREATE UNIQUE INDEX payments_autopay_once ON payments (tenant_id, loan_id, autopay_due_date)
  WHERE autopay_due_date IS NOT NULL;
CREATE INDEX payments_by_processor_id ON payments (tenant_id, provider_config_id, processor_id);
CREATE INDEX payments_by_loan ON payments (tenant_id, loan_id) WHERE loan_id IS NOT NULL;
CREATE INDEX payments_by_customer ON payments (tenant_id, customer_id);
-- The reconciler's work list, across tenants.
CREATE INDEX payments_to_check ON payments (next_check_at) WHERE next_check_at IS NOT NULL;

-- Every change of a payment, with its time and source; seq is the version the change produced, so two changes
-- made from the same version cannot both commit.
CREATE TABLE payment_transitions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  payment_id uuid NOT NULL,
  seq integer NOT NULL,
  from_state text,
  to_state text NOT NULL,
  source text NOT NULL CHECK (source IN ('api', 'webhook', 'reconciler', 'autopay')),
  detail jsonb NOT NULL DEFAULT '{}',
  loan_event_id uuid,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, payment_id, seq),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);

CREATE TABLE payment_refunds (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  payment_id uuid NOT NULL,
  reference text NOT NULL,
  idempotency_key text,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('requested', 'pending', 'succeeded', 'failed')),
  processor_refund_id text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);
CREATE UNIQUE INDEX payment_refunds_reference ON payment_refunds (tenant_id, reference);
CREATE UNIQUE INDEX payment_refunds_idempotency_key ON payment_refunds (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX payment_refunds_by_payment ON payment_refunds (tenant_id, payment_id);
-- The reconciler's refunds to send again (their answer never came).
CREATE INDEX payment_refunds_requested ON payment_refunds (created_at) WHERE status = 'requested';

-- Webhook deliveries, once per processor event: a redelivery finds its row and changes nothing.
CREATE TABLE payment_webhook_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  provider_config_id uuid NOT NULL,
  event_id text NOT NULL,
  type text NOT NULL,
  processor_id text,
  payment_id uuid,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider_config_id, event_id)
);

-- A loan's autopay: which stored method pays its installments on their due dates.
CREATE TABLE loan_autopay (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  loan_id uuid NOT NULL,
  payment_method_id uuid NOT NULL,
  enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, loan_id),
  FOREIGN KEY (tenant_id, loan_id) REFERENCES loans (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_method_id) REFERENCES payment_methods (tenant_id, id)
);

-- Business dates whose autopay collections were queued.
CREATE TABLE autopay_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  business_date date NOT NULL,
  loans integer NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, business_date)
);
