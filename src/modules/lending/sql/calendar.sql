-- The first date of a recalculation calendar on or after d, the SQL twin of restOnOrAfter (domain/installment/
-- recalculation-rest.ts, tested against it): daily every N days from start; weekly on a weekday (default start's)
-- every N weeks from start's week (weeks from Monday); monthly on a day of the month (default start's, months
-- without it skipped) or the nth (or last) weekday, every N months from start's month (looked for over 60 steps).
-- Weekdays by name.
CREATE OR REPLACE FUNCTION lending_calendar_on_or_after(frequency text, every integer, weekday text, on_day integer,
                                                       nth text, start date, d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH a AS (
    SELECT greatest(d, start) AS f, coalesce(every, 1) AS n,
           extract(isodow FROM start)::int - 1 AS start_wd,
           array_position(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
                          weekday) - 1 AS w)
  SELECT CASE frequency
    WHEN 'daily' THEN (SELECT CASE WHEN (a.f - start) % a.n = 0 THEN a.f ELSE a.f + (a.n - (a.f - start) % a.n) END FROM a)
    WHEN 'weekly' THEN (
      SELECT CASE WHEN k.weeks % a.n = 0 THEN k.day ELSE k.day + 7 * (a.n - k.weeks % a.n) END
        FROM a, LATERAL (SELECT a.f + (coalesce(a.w, a.start_wd) - (extract(isodow FROM a.f)::int - 1) + 7) % 7 AS day) AS x,
             LATERAL (SELECT x.day, (x.day - (start - a.start_wd)) / 7 AS weeks) AS k)
    ELSE (
      SELECT m.day FROM a,
             LATERAL (SELECT extract(year FROM start)::int * 12 + extract(month FROM start)::int - 1 AS first,
                             extract(year FROM a.f)::int * 12 + extract(month FROM a.f)::int - 1 AS at) AS i,
             LATERAL generate_series(0, 60) AS s(k),
             LATERAL (SELECT i.at + (a.n - (i.at - i.first) % a.n) % a.n + s.k * a.n AS idx) AS x,
             LATERAL (SELECT make_date(x.idx / 12, x.idx % 12 + 1, 1) AS first_day) AS fd,
             LATERAL (SELECT extract(day FROM fd.first_day + interval '1 month' - interval '1 day')::int AS days,
                             1 + (a.w - (extract(isodow FROM fd.first_day)::int - 1) + 7) % 7 AS first_w) AS md,
             LATERAL (SELECT CASE
                WHEN nth IS NOT NULL AND a.w IS NOT NULL THEN
                  CASE WHEN (CASE WHEN nth = 'last' THEN (md.days - md.first_w) / 7 + 1 ELSE nth::int END)
                            <= (md.days - md.first_w) / 7 + 1
                       THEN fd.first_day + (md.first_w - 1
                            + 7 * ((CASE WHEN nth = 'last' THEN (md.days - md.first_w) / 7 + 1 ELSE nth::int END) - 1))
                  END
                WHEN coalesce(on_day, extract(day FROM start)::int) <= md.days
                  THEN fd.first_day + (coalesce(on_day, extract(day FROM start)::int) - 1)
              END AS day) AS m
       WHERE m.day IS NOT NULL AND m.day >= a.f
       ORDER BY s.k LIMIT 1)
  END
$$;
-- The date a row due on `due` compounds (recalculation-compounding.ts compoundsOn), from the loan's
-- options.interestRecalculation (`rule`): the due date itself unless the compounding frequency is a calendar.
CREATE OR REPLACE FUNCTION lending_compounds_on(rule jsonb, start date, due date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN rule ->> 'compounding_frequency' IN ('weekly', 'monthly')
                OR (rule ->> 'compounding_frequency' = 'daily' AND coalesce((rule ->> 'compounding_interval')::int, 1) > 1)
              THEN lending_calendar_on_or_after(rule ->> 'compounding_frequency', (rule ->> 'compounding_interval')::int,
                     rule ->> 'compounding_weekday', (rule ->> 'compounding_on_day')::int,
                     rule ->> 'compounding_nth_day', start, due)
              ELSE due END
$$;
