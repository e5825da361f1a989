-- Exact arithmetic for the set-based close of business, the SQL twins of domain/exact.ts (tested against it).
-- round(num / den) with a rounding mode, for exact integers: one division, no intermediate scale. Plain SQL
-- expressions without FROM so the planner inlines them into the batch statements.
CREATE OR REPLACE FUNCTION lending_round(num numeric, den numeric, mode text) RETURNS numeric
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
CREATE OR REPLACE FUNCTION lending_round(num bigint, den bigint, mode text) RETURNS bigint
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
-- Year fraction of [start_date, end_date) in units of 1/145,880,280 of a year (lcm of 360, 364, 365 and 366), so
-- every day count is an exact integer: 30/360 (US), actual/360, actual/364, actual/365, actual/actual (ISDA: split at
-- January 1). domain/exact.ts yearFractionUnits is its twin.
CREATE OR REPLACE FUNCTION lending_year_fraction_units(day_count text, start_date date, end_date date) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE day_count
    WHEN 'actual/360' THEN (end_date - start_date)::bigint * 405223
    WHEN 'actual/365' THEN (end_date - start_date)::bigint * 399672
    WHEN 'actual/364' THEN (end_date - start_date)::bigint * 400770
    WHEN '30/360' THEN (
        360 * (extract(year FROM end_date)::int - extract(year FROM start_date)::int)
      + 30 * (extract(month FROM end_date)::int - extract(month FROM start_date)::int)
      + CASE WHEN extract(day FROM end_date)::int = 31 AND extract(day FROM start_date)::int >= 30 THEN 30
             ELSE extract(day FROM end_date)::int END
      - least(extract(day FROM start_date)::int, 30))::bigint * 405223
    ELSE CASE
      WHEN extract(year FROM start_date) = extract(year FROM end_date)
        THEN (end_date - start_date)::bigint * CASE WHEN extract(doy FROM make_date(extract(year FROM start_date)::int, 12, 31)) = 366 THEN 398580 ELSE 399672 END
      ELSE (make_date(extract(year FROM start_date)::int + 1, 1, 1) - start_date)::bigint
             * CASE WHEN extract(doy FROM make_date(extract(year FROM start_date)::int, 12, 31)) = 366 THEN 398580 ELSE 399672 END
         + (extract(year FROM end_date)::int - extract(year FROM start_date)::int - 1)::bigint * 145880280
         + (end_date - make_date(extract(year FROM end_date)::int, 1, 1))::bigint
             * CASE WHEN extract(doy FROM make_date(extract(year FROM end_date)::int, 12, 31)) = 366 THEN 398580 ELSE 399672 END
    END
  END
$$;
-- The aging bucket of a days-past-due count, given each bucket's last day: 'current', '1-30', ..., '121+'.
CREATE OR REPLACE FUNCTION lending_delinquency_bucket(dpd integer, bounds integer[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN dpd <= 0 THEN 'current' ELSE coalesce(
    (SELECT (coalesce(bounds[k - 1], 0) + 1)::text || '-' || bounds[k]::text
       FROM generate_subscripts(bounds, 1) AS k WHERE dpd <= bounds[k] ORDER BY k LIMIT 1),
    (coalesce(bounds[array_upper(bounds, 1)], 0) + 1)::text || '+')
  END
$$;
