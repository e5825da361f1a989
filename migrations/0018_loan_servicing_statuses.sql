-- A loan's servicing status beside its money (issue 13: Metro 2's 93, 95, 96 and 61, 62, 63): placements with a
-- collection agency and their recalls, the collateral's repossession or voluntary surrender and a reinstatement.
-- None of it moves money, so it is not a loan event (the replay never sees it): an append-only history of dated
-- records whose fold on a date is the status that date. `sequence` counts a loan's records; two changes racing for
-- one number leave one. `first_delinquency` is the date of first delinquency as it stood when the record was made,
-- frozen for the credit report.
CREATE TABLE loan_servicing_statuses (
  tenant_id uuid NOT NULL,
  loan_id uuid NOT NULL,
  sequence integer NOT NULL CHECK (sequence > 0),
  action text NOT NULL CHECK (action IN ('collection_placement', 'collection_recall', 'repossession', 'surrender',
                                         'reinstatement')),
  effective_date date NOT NULL,
  agency text CHECK (agency IS NULL OR action = 'collection_placement'),
  first_delinquency date,
  -- the loan's status and the business date when it was recorded, and who recorded it
  loan_status text NOT NULL,
  business_date date NOT NULL,
  actor text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, loan_id, sequence),
  FOREIGN KEY (tenant_id, loan_id) REFERENCES loans (tenant_id, id)
);
CREATE TRIGGER loan_servicing_statuses_append_only BEFORE UPDATE OR DELETE ON loan_servicing_statuses
  FOR EACH ROW EXECUTE FUNCTION lending_append_only();
