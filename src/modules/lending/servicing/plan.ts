import type { Scope } from '../../../kernel/audit.js';
import { uuidv7 } from '../../../kernel/ids.js';
import { err, FailureError, failure, invalidField, ok, type Result, unwrap } from '../../../kernel/result.js';
import type { ActionInput, LoanServicing } from '../product.js';
import type { LoanRead } from './read.js';
import type { Plan } from './writer.js';

/** Lifecycle steps that precede the disbursement: their effective date may be before the start date. */
const ORIGINATION = new Set(['approve', 'reject', 'withdraw', 'disburse']);

/**
 * What an action does to a loan as read: the event it records (on the business date, by the scope's actor) and
 * the replay of every event with it, or why it is refused. Pure: nothing is written here.
 */
export function planAction(
  servicing: LoanServicing,
  scope: Scope,
  read: LoanRead,
  input: ActionInput,
): Result<Plan> {
  const { loan } = read;
  if (input.currency !== undefined && input.currency !== loan.currency)
    return err(
      failure(
        'unprocessable',
        'currency_mismatch',
        `the loan is in ${loan.currency}, not ${input.currency}`,
        {
          fields: [{ path: 'currency', message: `must be ${loan.currency}` }],
        },
      ),
    );
  const today = read.businessDate;
  try {
    const draft = unwrap(servicing.event(withPayoffAmount(servicing, read, input), loan, today));
    if (draft.effectiveDate > today)
      return err(
        invalidField(
          'effective_date',
          `must not be after the business date ${today}`,
          'effective_date_after_business_date',
        ),
      );
    if (!ORIGINATION.has(draft.type) && draft.effectiveDate < loan.startDate)
      return err(
        invalidField(
          'effective_date',
          `must not be before the disbursement date ${loan.startDate}`,
          'effective_date_before_disbursement',
        ),
      );
    const actor = scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type;
    const event = { id: uuidv7(), sequence: loan.lastSequence + 1, ...draft, businessDate: today, actor };
    // A payment planned from a read whose payoff was quoted (a collection) continues that replay.
    const projection = unwrap(
      read.replayed?.withPayment(event) ??
        servicing.replay(loan.terms, [...read.events, event], today, { closeOfBusiness: false }),
    );
    return ok({ event, projection, asOf: today });
  } catch (e) {
    if (e instanceof FailureError) return err(e.failure);
    throw e;
  }
}

/**
 * A payoff sent without an amount settles the loan for what it owes on the payment's date: the payoff quote's
 * total, from the same events the write replays.
 */
function withPayoffAmount(servicing: LoanServicing, read: LoanRead, input: ActionInput): ActionInput {
  if (input.action !== 'payment' || !input.payoff || input.amount !== undefined) return input;
  const on = input.effectiveDate ?? read.businessDate;
  const quote = unwrap(servicing.payoffQuote(read.loan.terms, read.events, on, {}));
  const total = quote.total;
  if (typeof total !== 'number')
    throw new FailureError(invalidField('amount', 'this loan has no payoff amount: send the amount to pay'));
  return { ...input, amount: total };
}
