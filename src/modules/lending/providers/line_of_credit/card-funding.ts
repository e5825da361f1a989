import { z } from 'zod';
import type { Scope } from '../../../../kernel/audit.js';
import { type CalendarDate, dateSchema } from '../../../../kernel/dates.js';
import { type Db, isUniqueViolation } from '../../../../kernel/db.js';
import { currencySchema, type Minor, positiveMinorSchema } from '../../../../kernel/money.js';
import { err, type Failure, FailureError, failure, ok, type Result } from '../../../../kernel/result.js';
import { fieldIssues } from '../../../../kernel/validation.js';
import { validationFailure } from '../../domain/common-terms.js';
import type { LoanService } from '../../servicing/service.js';
import { findCardDraw } from './store.js';

/** A card clearing to fund from a line of credit. */
export interface CardSpend {
  amount: Minor;
  currency: string;
  /** The clearing's date; default: the lending business date. Never after it. */
  effectiveDate?: CalendarDate;
  /** The clearing's unique reference (the card platform's transaction id): the idempotency key of the draw. */
  reference: string;
}

export interface CardDraw {
  /** The draw event on the line. */
  eventId: string;
  /** true when a draw with this reference was already recorded (a retried clearing): nothing new was drawn. */
  duplicate: boolean;
  /** The draw took the line over its credit limit. */
  overLimit: boolean;
}

const spendSchema = z.strictObject({
  amount: positiveMinorSchema,
  currency: currencySchema,
  effectiveDate: dateSchema.optional(),
  reference: z.string().trim().min(1).max(200),
});

/**
 * Funds card spend from a lending line of credit: the port the card-authorization module calls when it posts a
 * clearing against an expense line owned by a line of credit.
 *
 * The draw is idempotent by `reference` (a unique index over the line's draw events): a retried clearing finds its
 * draw and returns it with `duplicate: true`, and the same reference with another amount is a conflict. A clearing
 * is money the card network already paid out against an authorization the card side approved and reserved on its
 * own expense line, so it is never refused for the limit: it posts even when it takes the line over its limit, and
 * says so (`over_limit` on the draw, `overLimit` here) for the card side to stop approving. What it is refused for:
 * a loan that is not a line of credit (422 `not_a_line_of_credit`), a line that is not active — frozen, closing,
 * closed or charged off (409 `line_not_active`: freezing a line is how lending stops card funding), another
 * currency (422 `currency_mismatch`), a date outside [open date, business date] (422).
 */
export class CardFundingService {
  constructor(private readonly deps: { db: Db; loans: LoanService }) {}

  async drawForCardSpend(scope: Scope, loanId: string, spend: CardSpend): Promise<Result<CardDraw>> {
    const parsed = spendSchema.safeParse(spend);
    if (!parsed.success) return err(validationFailure('invalid card spend', fieldIssues(parsed.error)));
    const s = parsed.data;
    const found = await this.deps.loans.get(scope, loanId);
    if (!found.ok) return found;
    if (found.value.product !== 'line_of_credit')
      return err(
        failure('unprocessable', 'not_a_line_of_credit', `loan ${loanId} is not a line of credit`, {
          fields: [{ path: 'loan_id', message: 'must be a line of credit' }],
          extra: { product: found.value.product },
        }),
      );
    const key = { tenantId: scope.tenantId, loanId };
    const earlier = await findCardDraw(this.deps.db, key, s.reference);
    if (earlier) return this.#duplicate(scope, loanId, earlier, s.amount);
    try {
      const drawn = await this.deps.loans.act(scope, loanId, {
        action: 'draw',
        amount: s.amount,
        currency: s.currency,
        effectiveDate: s.effectiveDate,
        details: { reference: s.reference, source: 'card' },
      });
      if (!drawn.ok) return drawn;
      const { event, projection } = drawn.value;
      return ok({
        eventId: event.id,
        duplicate: false,
        overLimit: projection.effects.get(event.id)?.over_limit === true,
      });
    } catch (e) {
      if (e instanceof FailureError) return err(e.failure);
      // Two clearings with one reference raced: the other one drew.
      if (!isUniqueViolation(e, 'loan_events_draw_reference')) throw e;
      const raced = await findCardDraw(this.deps.db, key, s.reference);
      if (!raced) throw e;
      return this.#duplicate(scope, loanId, raced, s.amount);
    }
  }

  async #duplicate(
    scope: Scope,
    loanId: string,
    earlier: { id: string; amount: Minor },
    amount: Minor,
  ): Promise<Result<CardDraw>> {
    if (earlier.amount !== amount) return err(referenceReused(earlier.amount));
    const details = await this.deps.loans.details(scope, loanId);
    const overLimit = details.ok && details.value.effects.get(earlier.id)?.over_limit === true;
    return ok({ eventId: earlier.id, duplicate: true, overLimit });
  }
}

const referenceReused = (amount: Minor): Failure =>
  failure('conflict', 'reference_reused', 'a draw with this reference was recorded for another amount', {
    fields: [{ path: 'reference', message: `already drew ${amount}` }],
    extra: { recorded_amount: amount },
  });
