-- The Truth in Lending figures an originator disclosed to the borrower (a broker's or a loan origination system's
-- disclosure), when the loan comes with them: compliance's tila_apr_disclosure checks them against the figures
-- lending computes by Appendix J (issue 13). Null: the loan's disclosure is lending's own.
ALTER TABLE loans ADD COLUMN originator_disclosure jsonb;
