-- Lending servicing, for every product (installment loans, leases, lines of credit): loans, their append-only
-- events, the installment projection, the double-entry journal, each tenant's business date and its close-of-business
-- runs. Product-specific tables (lease returns, line-of-credit statements) come in later 01xx migrations.
-- See src/modules/lending/README.md for the model and the reasons behind it.

-- The open business day of each tenant: events may be effective on or before it. Closing day D moves it to D + 1.
CREATE TABLE business_dates (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  business_date date NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per loan, lease or line of credit. The terms are the loan's own resolved snapshot (a later change to the
-- program does not touch it); the projection columns are what replaying loan_events gives, kept current by every
-- write and by close of business. The servicing parameters repeat what the set-based close of business needs from
-- the terms as plain columns, so its batch statements read no JSON.
CREATE TABLE loans (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  program_id uuid NOT NULL,
  product text NOT NULL CHECK (product IN ('installment_loan', 'lease', 'line_of_credit')),
  customer_id uuid,
  external_ref text,
  currency text NOT NULL,
  status text NOT NULL,
  -- what the account is about: amount financed, adjusted capitalized cost, or credit limit
  amount bigint NOT NULL CHECK (amount > 0),
  terms jsonb NOT NULL,
  -- Truth in Lending / Consumer Leasing disclosure at origination (APR, finance charge, amount financed, ...)
  disclosure jsonb,
  start_date date NOT NULL,
  maturity_date date,
  installment_count integer NOT NULL DEFAULT 0,
  -- servicing parameters (copied from the terms)
  rate_num numeric NOT NULL,
  rate_den numeric NOT NULL CHECK (rate_den > 0),
  day_count text,
  interest_calculation text,
  rounding_mode text NOT NULL,
  flat_interest_basis bigint,
  late_fee jsonb,
  late_fee_grace_days integer,
  charge_off_after_days integer,
  delinquency_buckets integer[] NOT NULL,
  -- projection
  days_past_due integer NOT NULL DEFAULT 0,
  delinquency_bucket text NOT NULL DEFAULT 'current',
  credit_balance bigint NOT NULL DEFAULT 0,
  next_due_date date,
  -- due date of the oldest installment still owing principal or interest (days past due count from it)
  oldest_unpaid_due date,
  -- the close-of-business date that assesses the next late fee (due date + grace days)
  next_late_fee_on date,
  -- the installment whose period interest is accruing in
  accrual_cursor integer,
  -- whether close of business visits the loan (a product decides: installment loans while active or delinquent)
  cob_active boolean NOT NULL DEFAULT false,
  -- journal checkpoint: the loan's account balances over its journal rows with id <= journal_through
  balances jsonb NOT NULL DEFAULT '{}',
  journal_through bigint NOT NULL DEFAULT 0,
  last_sequence integer NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
) WITH (fillfactor = 90);
CREATE UNIQUE INDEX loans_external_ref ON loans (tenant_id, external_ref) WHERE external_ref IS NOT NULL;
-- Close of business plans its batches over the loans it must visit.
CREATE INDEX loans_cob ON loans (tenant_id, id) WHERE cob_active;

-- The loan is its events: approve, disburse, payment, payment_reversal, ... State is always their replay, so a
-- backdated event or a reversal is an insert followed by a replay.
CREATE TABLE loan_events (
  tenant_id uuid NOT NULL,
  loan_id uuid NOT NULL,
  sequence integer NOT NULL CHECK (sequence > 0),
  id uuid NOT NULL,
  type text NOT NULL,
  effective_date date NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- the business date it was recorded on (effective_date <= business_date)
  business_date date NOT NULL,
  actor text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, loan_id, sequence),
  FOREIGN KEY (tenant_id, loan_id) REFERENCES loans (tenant_id, id)
);
CREATE UNIQUE INDEX loan_events_id ON loan_events (tenant_id, id);

-- The installment projection (installment loans; leases use the same rows, principal being depreciation and interest
-- the rent charge). Close of business reads and updates these rows set-wise.
CREATE TABLE loan_installments (
  tenant_id uuid NOT NULL,
  loan_id uuid NOT NULL,
  number integer NOT NULL,
  period_start date NOT NULL,
  due_date date NOT NULL,
  -- scheduled principal outstanding at the period start: the daily-interest basis
  opening_balance bigint NOT NULL,
  -- interest earned over [period_start, due_date)
  interest_accrual bigint NOT NULL,
  principal_due bigint NOT NULL,
  interest_due bigint NOT NULL,
  fees_due bigint NOT NULL DEFAULT 0,
  penalties_due bigint NOT NULL DEFAULT 0,
  principal_paid bigint NOT NULL DEFAULT 0,
  interest_paid bigint NOT NULL DEFAULT 0,
  fees_paid bigint NOT NULL DEFAULT 0,
  penalties_paid bigint NOT NULL DEFAULT 0,
  principal_waived bigint NOT NULL DEFAULT 0,
  interest_waived bigint NOT NULL DEFAULT 0,
  fees_waived bigint NOT NULL DEFAULT 0,
  penalties_waived bigint NOT NULL DEFAULT 0,
  -- interest recognised in the journal so far
  accrued bigint NOT NULL DEFAULT 0,
  late_fee_assessed boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, loan_id, number),
  FOREIGN KEY (tenant_id, loan_id) REFERENCES loans (tenant_id, id)
) WITH (fillfactor = 80);

-- The double-entry journal: one row per posting with both sides, so every row balances by construction and a
-- two-leg entry (a day's accrual) is a single row. An entry of several legs is several rows with the same
-- (entry_date, kind, event_id). Balance of an account = sum of its debits - sum of its credits.
CREATE TABLE loan_journal (
  tenant_id uuid NOT NULL,
  loan_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  entry_date date NOT NULL,
  kind text NOT NULL,
  -- the event that caused it; null for what close of business derives (accruals, late fees, charge-off)
  event_id uuid,
  debit_account text NOT NULL,
  credit_account text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  posted_at timestamptz NOT NULL DEFAULT now(),
  CHECK (debit_account <> credit_account),
  PRIMARY KEY (tenant_id, loan_id, id)
);

CREATE FUNCTION lending_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER loan_events_append_only BEFORE UPDATE OR DELETE ON loan_events
  FOR EACH ROW EXECUTE FUNCTION lending_append_only();
CREATE TRIGGER loan_journal_append_only BEFORE UPDATE OR DELETE ON loan_journal
  FOR EACH ROW EXECUTE FUNCTION lending_append_only();
CREATE TRIGGER loan_journal_no_truncate BEFORE TRUNCATE ON loan_journal
  FOR EACH STATEMENT EXECUTE FUNCTION lending_append_only();

-- Close of business: one run per tenant and closed day, split into batches of loan id ranges. Each batch commits its
-- work and its `done` mark together, so a crashed run resumes with the batches still pending.
CREATE TABLE cob_runs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  business_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  -- the last day requested: when this day completes, the next one starts until this one is closed
  through_date date NOT NULL,
  batches_total integer NOT NULL DEFAULT 0,
  loans_total integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  error text,
  PRIMARY KEY (tenant_id, business_date)
);

CREATE TABLE cob_batches (
  tenant_id uuid NOT NULL,
  business_date date NOT NULL,
  batch integer NOT NULL,
  first_loan uuid NOT NULL,
  last_loan uuid NOT NULL,
  loans integer NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, business_date, batch),
  FOREIGN KEY (tenant_id, business_date) REFERENCES cob_runs (tenant_id, business_date)
);

-- Close of business updates a few columns of many loans a day (cursors, days past due) and locks every loan it
-- visits. Keeping the large JSON columns (terms, disclosure) out of line makes those row versions small.
ALTER TABLE loans SET (toast_tuple_target = 256);
ALTER TABLE loans ALTER COLUMN terms SET STORAGE EXTERNAL;
ALTER TABLE loans ALTER COLUMN disclosure SET STORAGE EXTERNAL;

-- Leases and lines of credit on the generic lending tables (0100). Leases need nothing of their own: their payments
-- are loan_installments rows (principal = depreciation, interest = rent charge, fees = sales tax, penalties = late
-- fees). Lines of credit keep their open billing cycle and their statements here. Both tables are projections of
-- loan_events like loan_installments: every write rewrites them from the replay, close of business updates them
-- set-wise. See src/modules/lending/providers/line_of_credit/README.md.

-- A line of credit's open billing cycle, balances and last statement: what close of business reads. Balances are
-- what the line owes now (principal drawn, billed interest, fees); `accrued` is the open cycle's interest recognised
-- through `accrued_through` and not billed yet. `movement_days` = Σ amount × (posting day − cycle_start) over the
-- cycle's principal movements, so that the sum of daily balances through day D is principal × (D − cycle_start + 1)
-- − movement_days (the closed form of the average daily balance, see domain/revolving/interest.ts).
CREATE TABLE credit_lines (
  tenant_id uuid NOT NULL,
  loan_id uuid NOT NULL,
  -- the line's terms close of business needs (rate, day count, rounding and late fee are on loans)
  credit_limit bigint NOT NULL,
  cycle_day integer NOT NULL CHECK (cycle_day BETWEEN 1 AND 31),
  payment_due_days integer NOT NULL,
  minimum_floor bigint NOT NULL,
  minimum_percent numeric NOT NULL,
  installment_multiple integer NOT NULL,
  principal bigint NOT NULL,
  interest bigint NOT NULL,
  fees bigint NOT NULL,
  cycle_start date NOT NULL,
  cycle_end date NOT NULL,
  opening_principal bigint NOT NULL,
  opening_interest bigint NOT NULL,
  opening_fees bigint NOT NULL,
  cycle_draws bigint NOT NULL,
  cycle_payments bigint NOT NULL,
  cycle_fees bigint NOT NULL,
  movement_days bigint NOT NULL,
  -- for a cycle spanning a new year (actual/actual): the sum of daily balances of its days in the first year
  prior_year_sum bigint NOT NULL,
  accrued bigint NOT NULL,
  accrued_through date NOT NULL,
  statement_count integer NOT NULL,
  -- the last statement: its minimum payment, what was paid since (in time: by due date + grace days)
  last_statement_date date,
  last_due_date date,
  last_minimum bigint NOT NULL,
  -- the part of the last minimum carried over unpaid from the statement before, and the due date it dates from
  last_past_due bigint NOT NULL,
  past_due_since date,
  paid_since_statement bigint NOT NULL,
  paid_in_time bigint NOT NULL,
  late_fee_assessed boolean NOT NULL,
  written_off bigint NOT NULL,
  recovered bigint NOT NULL,
  PRIMARY KEY (tenant_id, loan_id),
  FOREIGN KEY (tenant_id, loan_id) REFERENCES loans (tenant_id, id)
);

-- Periodic statements, one per closed billing cycle, numbered from 1. Written by close of business when a cycle
-- closes, and restated by a write that reprocesses an earlier cycle (a backdated payment, a returned payment).
CREATE TABLE line_statements (
  tenant_id uuid NOT NULL,
  loan_id uuid NOT NULL,
  number integer NOT NULL CHECK (number > 0),
  period_start date NOT NULL,
  -- the statement date
  period_end date NOT NULL,
  due_date date NOT NULL,
  days_in_cycle integer NOT NULL,
  opening_balance bigint NOT NULL,
  draws bigint NOT NULL,
  payments bigint NOT NULL,
  interest bigint NOT NULL,
  fees bigint NOT NULL,
  closing_balance bigint NOT NULL,
  closing_principal bigint NOT NULL,
  past_due bigint NOT NULL,
  minimum_payment bigint NOT NULL,
  credit_limit bigint NOT NULL,
  available_credit bigint NOT NULL,
  sum_of_daily_balances bigint NOT NULL,
  prior_year_sum bigint NOT NULL,
  PRIMARY KEY (tenant_id, loan_id, number),
  FOREIGN KEY (tenant_id, loan_id) REFERENCES loans (tenant_id, id),
  CHECK (due_date >= period_end + 21)
);

-- A card clearing funds itself with a draw carrying the clearing's reference: a retried clearing finds its draw
-- instead of drawing twice (card-funding.ts), and two racing ones cannot both insert.
CREATE UNIQUE INDEX loan_events_draw_reference ON loan_events (tenant_id, loan_id, (payload->>'reference'))
  WHERE type = 'draw' AND payload ? 'reference';

-- A card refund credits a line of credit as a payment carrying the refund's reference: like a card draw, a
-- retried refund must find its payment instead of crediting the line twice.
CREATE UNIQUE INDEX loan_events_card_payment_reference ON loan_events (tenant_id, loan_id, (payload->>'reference'))
  WHERE type = 'payment' AND payload ? 'reference';
