import type { CalendarDate } from '../../../kernel/dates.js';
import { eventInsertSql } from '../../../kernel/events.js';
import { recordset, type Statement } from '../../../kernel/statement.js';

/**
 * The domain events lending publishes (kernel/events.ts), other modules' subscription points into lending:
 * communications sends a welcome, a receipt, a payoff letter, a returned-payment notice, a reminder, a late
 * notice and a periodic statement from them. Each is published in the statement or transaction of the change it
 * reports, so it commits with it, and its id is the loan event's (or is derived from the day), so a replay or a
 * rerun publishes nothing twice.
 */
export const LENDING_EVENTS = {
  /**
   * A loan was disbursed (a line of credit opened): its first disbursement, once. The amount is the principal it
   * advanced (the amount financed, or a loan in tranches' first tranche; fees withheld from the proceeds not
   * deducted); null for a line, which opens with nothing drawn.
   */
  disbursed: 'lending.disbursed',
  /**
   * A later tranche of a loan in tranches was paid out (`POST /v1/loans/{id}/tranches`): the amount is the tranche's.
   * Not `disbursed`, which means the loan started (communications welcomes the borrower on it, once).
   */
  trancheDisbursed: 'lending.tranche_disbursed',
  /** A payment was applied to a loan that still owes. */
  paymentReceived: 'lending.payment_received',
  /** A payment (or a payoff) brought the loan to nothing owed. */
  paidOff: 'lending.paid_off',
  /** A payment was reversed: returned by the bank, disputed, or reversed by an operator. */
  paymentReturned: 'lending.payment_returned',
  /**
   * A loan's servicing status changed: placed with or recalled from collections, its collateral repossessed,
   * surrendered or reinstated (servicing-status/; no money moved). Payload: `ServicingStatusPayload`.
   */
  servicingStatusChanged: 'lending.servicing_status_changed',
  /** Close of business closed a day for the tenant: what falls due, what became late, the statements it cut. */
  dayClosed: 'lending.day_closed',
} as const;

/** The payload of a loan's event (ids as stored, amounts in the loan's minor units). */
export interface LoanEventPayload {
  loan_id: string;
  /** The loan event that caused it (`loan_events.id`). */
  event_id: string;
  effective_date: string;
  amount: number | null;
  status: string;
  next_due_date: string | null;
  /** What the loan event recorded (a reversal's reason, for one). */
  details: Record<string, unknown>;
}

/** The payload of `lending.day_closed`: the day closed, and the business date it opened. */
export interface DayClosedPayload {
  closed: CalendarDate;
  business_date: CalendarDate;
}

const PAID_OFF = new Set(['paid_off', 'overpaid']);

/** The event a loan write publishes, or null when its loan event is not one other modules react to. */
export function publishedType(eventType: string, statusAfter: string): string | null {
  switch (eventType) {
    case 'disburse':
      return LENDING_EVENTS.disbursed;
    case 'disburse_tranche':
      return LENDING_EVENTS.trancheDisbursed;
    case 'payment':
    case 'payoff':
      return PAID_OFF.has(statusAfter) ? LENDING_EVENTS.paidOff : LENDING_EVENTS.paymentReceived;
    case 'payment_reversal':
      return LENDING_EVENTS.paymentReturned;
    default:
      return null;
  }
}

interface Published {
  k: number;
  id: string;
  type: string;
  payload: LoanEventPayload;
}

/** The loan write's CTE publishing its events (only for loans the statement writes: FROM `guard`). */
export function publishedSql(s: Statement, events: readonly Published[]): string | null {
  if (events.length === 0) return null;
  const p = recordset<Published>(s, 'pe', events, [
    ['k', 'int', (e) => e.k],
    ['id', 'uuid', (e) => e.id],
    ['type', 'text', (e) => e.type],
    ['payload', 'jsonb', (e) => e.payload],
  ]);
  return `published AS (${eventInsertSql(`${p} JOIN guard g ON g.k = pe.k`, {
    tenant: 'g.tenant',
    id: 'pe.id',
    type: 'pe.type',
    payload: 'pe.payload',
  })})`;
}
