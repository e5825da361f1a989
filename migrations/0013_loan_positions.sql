-- Loan positions as each business date opens (issue 13: roll rates, Metro 2's payment history). Lending keeps only
-- the current projection of a loan; a report between two dates needs where each loan stood on the first one.
-- Close of business writes one row per loan on book for every business date it opens, and one row for a loan that
-- has left the book (paid off, closed, charged off), the first time it is seen so; after that it is not written again.
CREATE TABLE loan_positions (
  tenant_id uuid NOT NULL,
  as_of date NOT NULL,
  loan_id uuid NOT NULL,
  program_id uuid NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  days_past_due integer NOT NULL,
  principal bigint NOT NULL,
  past_due bigint NOT NULL,
  balance bigint NOT NULL,
  PRIMARY KEY (tenant_id, as_of, loan_id)
);
-- A loan's latest position on or before a date (roll rates' end state, Metro 2's month ends).
CREATE INDEX loan_positions_by_loan ON loan_positions (tenant_id, loan_id, as_of);
