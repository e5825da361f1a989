-- The closing date of the billing cycle after the one closing on `previous_end`: the cycle day of the next month,
-- or its last day when the month is shorter (domain/revolving/cycle.ts nextCycleEnd).
CREATE OR REPLACE FUNCTION lending_next_cycle_end(previous_end date, cycle_day integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (date_trunc('month', previous_end) + interval '1 month')::date
         + (least(cycle_day,
                  extract(day FROM date_trunc('month', previous_end) + interval '2 months - 1 day')::int) - 1)
$$;
