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

-- Exact arithmetic for the set-based close of business, the SQL twins of domain/exact.ts (tested against it).
-- round(num / den) with a rounding mode, for exact integers: one division, no intermediate scale. Plain SQL
-- expressions without FROM so the planner inlines them into the batch statements.
CREATE FUNCTION lending_round(num numeric, den numeric, mode text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT div(num, den) + CASE WHEN mod(num, den) = 0 THEN 0 ELSE sign(num) * CASE
    WHEN mode = 'up' THEN 1
    WHEN mode = 'down' THEN 0
    WHEN mode = 'ceiling' THEN CASE WHEN num > 0 THEN 1 ELSE 0 END
    WHEN mode = 'floor' THEN CASE WHEN num < 0 THEN 1 ELSE 0 END
    WHEN mode = 'half_up' THEN CASE WHEN 2 * abs(mod(num, den)) >= den THEN 1 ELSE 0 END
    WHEN mode = 'half_down' THEN CASE WHEN 2 * abs(mod(num, den)) > den THEN 1 ELSE 0 END
    ELSE CASE WHEN 2 * abs(mod(num, den)) > den OR (2 * abs(mod(num, den)) = den AND mod(div(num, den), 2) <> 0)
              THEN 1 ELSE 0 END
  END END
$$;

-- The same on bigint, for products that fit (a period's interest times its days).
CREATE FUNCTION lending_round(num bigint, den bigint, mode text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT num / den + CASE WHEN num % den = 0 THEN 0 ELSE sign(num) * CASE
    WHEN mode = 'up' THEN 1
    WHEN mode = 'down' THEN 0
    WHEN mode = 'ceiling' THEN CASE WHEN num > 0 THEN 1 ELSE 0 END
    WHEN mode = 'floor' THEN CASE WHEN num < 0 THEN 1 ELSE 0 END
    WHEN mode = 'half_up' THEN CASE WHEN 2 * abs(num % den) >= den THEN 1 ELSE 0 END
    WHEN mode = 'half_down' THEN CASE WHEN 2 * abs(num % den) > den THEN 1 ELSE 0 END
    ELSE CASE WHEN 2 * abs(num % den) > den OR (2 * abs(num % den) = den AND (num / den) % 2 <> 0) THEN 1 ELSE 0 END
  END END
$$;

-- Year fraction of [start_date, end_date) in units of 1/1,603,080 of a year (lcm of 360, 365 and 366), so every
-- day count is an exact integer: 30/360 (US), actual/360, actual/365, actual/actual (ISDA: split at January 1).
CREATE FUNCTION lending_year_fraction_units(day_count text, start_date date, end_date date) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE day_count
    WHEN 'actual/360' THEN (end_date - start_date)::bigint * 4453
    WHEN 'actual/365' THEN (end_date - start_date)::bigint * 4392
    WHEN '30/360' THEN (
        360 * (extract(year FROM end_date)::int - extract(year FROM start_date)::int)
      + 30 * (extract(month FROM end_date)::int - extract(month FROM start_date)::int)
      + CASE WHEN extract(day FROM end_date)::int = 31 AND extract(day FROM start_date)::int >= 30 THEN 30
             ELSE extract(day FROM end_date)::int END
      - least(extract(day FROM start_date)::int, 30))::bigint * 4453
    ELSE CASE
      WHEN extract(year FROM start_date) = extract(year FROM end_date)
        THEN (end_date - start_date)::bigint * CASE WHEN extract(doy FROM make_date(extract(year FROM start_date)::int, 12, 31)) = 366 THEN 4380 ELSE 4392 END
      ELSE (make_date(extract(year FROM start_date)::int + 1, 1, 1) - start_date)::bigint
             * CASE WHEN extract(doy FROM make_date(extract(year FROM start_date)::int, 12, 31)) = 366 THEN 4380 ELSE 4392 END
         + (extract(year FROM end_date)::int - extract(year FROM start_date)::int - 1)::bigint * 1603080
         + (end_date - make_date(extract(year FROM end_date)::int, 1, 1))::bigint
             * CASE WHEN extract(doy FROM make_date(extract(year FROM end_date)::int, 12, 31)) = 366 THEN 4380 ELSE 4392 END
    END
  END
$$;

-- The aging bucket of a days-past-due count, given each bucket's last day: 'current', '1-30', ..., '121+'.
CREATE FUNCTION lending_delinquency_bucket(dpd integer, bounds integer[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN dpd <= 0 THEN 'current' ELSE coalesce(
    (SELECT (coalesce(bounds[k - 1], 0) + 1)::text || '-' || bounds[k]::text
       FROM generate_subscripts(bounds, 1) AS k WHERE dpd <= bounds[k] ORDER BY k LIMIT 1),
    (coalesce(bounds[array_upper(bounds, 1)], 0) + 1)::text || '+')
  END
$$;
