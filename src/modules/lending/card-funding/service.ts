import { z } from 'zod';
import type { Scope } from '../../../kernel/audit.js';
import { type CalendarDate, dateSchema } from '../../../kernel/dates.js';
import { type Db, isUniqueViolation } from '../../../kernel/db.js';
import { currencySchema, type Minor, positiveMinorSchema } from '../../../kernel/money.js';
import { err, type Failure, FailureError, failure, ok, type Result } from '../../../kernel/result.js';
import { fieldIssues } from '../../../kernel/validation.js';
import { validationFailure } from '../domain/common-terms.js';
import type { LoanService } from '../servicing/service.js';
import { findEventByReference } from '../servicing/store.js';

/** A card clearing (or refund) to carry onto a line of credit. */
export interface CardSpend {
  amount: Minor;
  currency: string;
  /** The posting's date; default: the lending business date. Never after it. */
  effectiveDate?: CalendarDate;
  /** The posting's unique reference (the card platform's transaction id): the idempotency key. */
  reference: string;
}

export interface CardPosting {
  /** The line's event (a draw for spend, a payment for a refund). */
  transactionId: string;
  /** true when an event with this reference was already recorded (a retry): nothing new was posted. */
  duplicate: boolean;
  /** The draw took the line over its credit limit (always false for a refund). */
  overLimit: boolean;
}

const spendSchema = z.strictObject({
  amount: positiveMinorSchema,
  currency: currencySchema,
  effectiveDate: dateSchema.optional(),
  reference: z.string().trim().min(1).max(200),
});

/** The event each card posting records, and the partial unique index that makes it idempotent. */
const KINDS = {
  draw: { action: 'draw', type: 'draw', index: 'loan_events_draw_reference', source: 'card' },
  refund: {
    action: 'payment',
    type: 'payment',
    index: 'loan_events_card_payment_reference',
    source: 'card_refund',
  },
} as const;

/**
 * Funds card spend from a lending line of credit: the `LoanFunding` port the card-authorization module calls when
 * a clearing or a refund posts on an expense line owned by a line of credit.
 *
 * Both postings are idempotent by `reference` (a unique index over the line's events): a retry finds its event and
 * returns it with `duplicate: true`; the same reference with another amount is a conflict.
 * - A clearing is a draw. It is money the card network already paid out against an authorization the card side
 *   approved and reserved on its own expense line, so it is never refused for the limit: it posts even when it
 *   takes the line over its limit, and says so (`over_limit` on the draw, `overLimit` here).
 * - A refund is a payment from the card network (source `card_refund`): it goes through the line's allocation
 *   order like any payment and counts toward the minimum payment. A refund larger than what the line owes is
 *   refused (`payment_exceeds_balance`): the line keeps no credit balance, so an operator settles it.
 * What both are refused for: a loan that is not a line of credit (422 `not_a_line_of_credit`), a line that is not
 * active — frozen, closing, closed or charged off (409 `line_not_active`: freezing a line is how lending stops card
 * funding), another currency (422 `currency_mismatch`), a date outside [open date, business date] (422).
 */
export class CardFundingService {
  constructor(private readonly deps: { db: Db; loans: LoanService }) {}

  drawForCardSpend(scope: Scope, loanId: string, spend: CardSpend): Promise<Result<CardPosting>> {
    return this.#post('draw', scope, loanId, spend);
  }

  creditCardRefund(scope: Scope, loanId: string, refund: CardSpend): Promise<Result<CardPosting>> {
    return this.#post('refund', scope, loanId, refund);
  }

  async #post(
    kind: keyof typeof KINDS,
    scope: Scope,
    loanId: string,
    spend: CardSpend,
  ): Promise<Result<CardPosting>> {
    const k = KINDS[kind];
    const parsed = spendSchema.safeParse(spend);
    if (!parsed.success) return err(validationFailure('invalid card posting', fieldIssues(parsed.error)));
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
    const earlier = await findEventByReference(this.deps.db, key, k.type, s.reference);
    if (earlier) return this.#duplicate(scope, loanId, earlier, s.amount);
    try {
      const posted = await this.deps.loans.act(scope, loanId, {
        action: k.action,
        amount: s.amount,
        currency: s.currency,
        effectiveDate: s.effectiveDate,
        details: { reference: s.reference, source: k.source },
      });
      if (!posted.ok) return posted;
      const { event, projection } = posted.value;
      return ok({
        transactionId: event.id,
        duplicate: false,
        overLimit: projection.effects.get(event.id)?.over_limit === true,
      });
    } catch (e) {
      if (e instanceof FailureError) return err(e.failure);
      // Two postings with one reference raced: the other one won.
      if (!isUniqueViolation(e, k.index)) throw e;
      const raced = await findEventByReference(this.deps.db, key, k.type, s.reference);
      if (!raced) throw e;
      return this.#duplicate(scope, loanId, raced, s.amount);
    }
  }

  async #duplicate(
    scope: Scope,
    loanId: string,
    earlier: { id: string; amount: Minor },
    amount: Minor,
  ): Promise<Result<CardPosting>> {
    if (earlier.amount !== amount) return err(referenceReused(earlier.amount));
    const details = await this.deps.loans.details(scope, loanId);
    const overLimit = details.ok && details.value.effects.get(earlier.id)?.over_limit === true;
    return ok({ transactionId: earlier.id, duplicate: true, overLimit });
  }
}

const referenceReused = (amount: Minor): Failure =>
  failure(
    'conflict',
    'reference_reused',
    'a card posting with this reference was recorded for another amount',
    {
      fields: [{ path: 'reference', message: `already posted ${amount}` }],
      extra: { recorded_amount: amount },
    },
  );
