-- Interest recalculation with a rest frequency other than daily (domain/installment/recalculation-rest.ts): the
-- principal paid since the last rest date, which still earns interest until the next one (`rest_until`). Close of
-- business adds it to the principal outstanding for the days before `rest_until`. Null when nothing is pending.
ALTER TABLE loans ADD COLUMN rest_pending bigint, ADD COLUMN rest_until date;
