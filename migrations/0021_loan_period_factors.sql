-- A progressive (interest_calculation period_days) installment loan with interest recalculation: each
-- installment's period rate factor φ (its share of a year by days in month and days in year) as exact
-- [num, den] integer strings, by installment number − 1. Close of business counts a stretch of a period as
-- balance × R × φ × its days / the period's days (domain/installment/recalculation-progressive.ts). Null otherwise.
ALTER TABLE loans ADD COLUMN period_factors jsonb;
