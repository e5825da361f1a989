import type { CalendarDate } from '../../../kernel/dates.js';
import type { Customer } from '../../tenancy/index.js';
import type { BorrowerFacts } from '../domain/index.js';

/** A stored customer, or one being created (onboarding runs before the row exists). */
export type CustomerFacts = Pick<Customer, 'id' | 'legalName'> &
  Partial<
    Pick<Customer, 'dateOfBirth' | 'address' | 'timeZone' | 'coveredMilitaryBorrower' | 'activeDutyStartDate'>
  >;

/**
 * The borrower's facts from a tenancy customer. The state is the address's when it is in the US; the time zones
 * are the customer's own (none known: the Reg F contact-hours rule blocks collection contact, as it must when it
 * cannot tell the local time). Military facts: the MLA coverage the lender recorded and the active-duty start.
 */
export function borrowerOf(c: CustomerFacts): BorrowerFacts {
  const state = c.address?.country === 'US' ? (c.address.state ?? undefined) : undefined;
  return {
    customerId: c.id,
    name: { full: c.legalName },
    ...(c.dateOfBirth && { dateOfBirth: c.dateOfBirth as CalendarDate }),
    ...(state && { state: state.toUpperCase() }),
    timeZones: c.timeZone ? [c.timeZone] : [],
    military: {
      mlaCovered: c.coveredMilitaryBorrower ?? false,
      activeDuty: c.activeDutyStartDate ? [{ start: c.activeDutyStartDate as CalendarDate }] : [],
    },
  };
}

/** A borrower no customer record describes (a loan without a customer): no name to screen, no state, no zone. */
export const UNKNOWN_BORROWER: BorrowerFacts = { name: { full: '' }, timeZones: [] };
