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

-- The closing date of the billing cycle after the one closing on `previous_end`: the cycle day of the next month,
-- or its last day when the month is shorter (domain/revolving/cycle.ts nextCycleEnd).
CREATE FUNCTION lending_next_cycle_end(previous_end date, cycle_day integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (date_trunc('month', previous_end) + interval '1 month')::date
         + (least(cycle_day,
                  extract(day FROM date_trunc('month', previous_end) + interval '2 months - 1 day')::int) - 1)
$$;
