-- A daily-interest installment loan's annual rate over time, when it changes during the loan (scheduled
-- rate_changes or the rate_change action): [{from, until, num, den}], each rate exact (num / den) from `from`
-- (null: from the beginning) until `until` (null: on). Close of business accrues a period across a change as the
-- sum of each rate's days (domain/installment/rate-timeline.ts). Null when the rate never changed.
ALTER TABLE loans ADD COLUMN rate_steps jsonb;
