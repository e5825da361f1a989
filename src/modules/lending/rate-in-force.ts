import { Decimal } from 'decimal.js';
import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../kernel/dates.js';

/**
 * The annual rate a loan is in force at on a date. `loans.rate_num / rate_den` is the rate its terms carry (the
 * first, or the last `rate_change` action's) and is what close of business accrues by where the rate never
 * changed; a loan whose rate changes on dates (scheduled `rate_changes`, or the action) also keeps the rates by
 * date in `rate_steps` ([{from, until, num, den}], from inclusive, until exclusive, null: open), written with its
 * projection whatever its interest calculation. The rate in force on D is the step holding D, so it moves on with
 * the business date though nothing writes the loan on a change's date: readers (the loan's details, the book and
 * loan tape, the positions close of business records) derive it here rather than store it.
 */

type Step = Record<string, string | null>;

const holds = (s: Step, date: CalendarDate) =>
  (s.from === null || s.from === undefined || s.from <= date) &&
  (s.until === null || s.until === undefined || s.until > date);

/** The rate in force on `date` in percent ("4", "9.4822"), from the loan's columns as the SQL below reads them. */
export function rateInForce(
  loan: { rateNum: string; rateDen: string; rateSteps: Step[] | null },
  date: CalendarDate,
): string {
  const step = loan.rateSteps?.find((s) => holds(s, date));
  const [num, den] = step ? [step.num!, step.den!] : [loan.rateNum, loan.rateDen];
  return new Decimal(num).mul(100).div(den).toDecimalPlaces(10).toFixed();
}

/**
 * The same in SQL, one part of the ratio (`num` or `den`) of the loan aliased `l`, as exact `numeric`: the step
 * holding `date` when the loan has steps (looked up only then), else its rate_num or rate_den.
 */
export function rateInForceSql(part: 'num' | 'den', date: SQL): SQL {
  const column = sql.raw(`l.rate_${part}`);
  return sql`CASE WHEN l.rate_steps IS NULL THEN ${column}
                  ELSE coalesce((SELECT (s->>${part})::numeric FROM jsonb_array_elements(l.rate_steps) AS s
                                  WHERE coalesce((s->>'from')::date <= ${date}, true)
                                    AND coalesce((s->>'until')::date > ${date}, true)
                                  LIMIT 1), ${column}) END`;
}
