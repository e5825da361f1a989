-- Interest after maturity on a recalculating installment loan with daily interest
-- (domain/installment/recalculation-maturity.ts): past its last due date the last installment keeps earning on the
-- balance outstanding, as Fineract's cumulative schedule adds interest-only installments. The stretch running since
-- the last change: from when (`after_maturity_from`), what the last installment earned before it
-- (`after_maturity_earned`) and the balance earning since (`after_maturity_balance`). Null before maturity.
ALTER TABLE loans ADD COLUMN after_maturity_from date, ADD COLUMN after_maturity_earned bigint,
  ADD COLUMN after_maturity_balance bigint;
