import { addMonths, type CalendarDate, fromParts } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';

/**
 * The servicing facts Metro 2 is derived from, and the derivations: the Account Status code, the Payment Rating
 * and the 24-month Payment History Profile (CRRG field definitions and Frequently Asked Questions).
 */
export type ServicingCondition =
  /** Open, or closed by request with a balance still owed: reported by its days past due. */
  | 'open'
  | 'closed_with_balance'
  /** Paid in full or closed with nothing owed. */
  | 'paid'
  | 'charged_off';

/** What servicing did beside the money: a collection placement, the collateral taken back. */
export interface Recovery {
  /** Assigned to internal or external collections. */
  collection?: boolean;
  /** Merchandise repossessed, or voluntarily surrendered. */
  collateral?: 'repossessed' | 'surrendered';
}

export interface ServicingState extends Recovery {
  condition: ServicingCondition;
  daysPastDue: number;
  currentBalance: Minor;
  amountPastDue: Minor;
  /** Days past due when the account was paid, closed or surrendered: the Payment Rating of a 13 or 95. */
  daysPastDueAtClose?: number;
}

/** Where an account stood at the end of one month, for the history profile. */
export interface MonthEnd extends Recovery {
  condition: ServicingCondition;
  daysPastDue: number;
  balance: Minor;
}

export const ACCOUNT_STATUS_CODES = [
  '11',
  '13',
  '61',
  '62',
  '63',
  '64',
  '71',
  '78',
  '80',
  '82',
  '83',
  '84',
  '93',
  '95',
  '96',
  '97',
] as const;
export type AccountStatusCode = (typeof ACCOUNT_STATUS_CODES)[number];

/** 11 current, 71 30-59, 78 60-89, 80 90-119, 82 120-149, 83 150-179, 84 180 or more days past due. */
export function delinquencyStatus(daysPastDue: number): AccountStatusCode {
  if (daysPastDue < 30) return '11';
  if (daysPastDue < 60) return '71';
  if (daysPastDue < 90) return '78';
  if (daysPastDue < 120) return '80';
  if (daysPastDue < 150) return '82';
  if (daysPastDue < 180) return '83';
  return '84';
}

/** The 0-6 scale of the Payment Rating and the history profile: 0 current (0-29) … 6 (180 or more). */
export const delinquencyDigit = (daysPastDue: number): string =>
  String(Math.min(6, Math.max(0, Math.floor(daysPastDue / 30))));

export interface DerivedStatus {
  accountStatus: AccountStatusCode;
  /** Required with 13 and 95 (the rating when the account was paid, closed or surrendered); blank otherwise. */
  paymentRating: string;
}

/**
 * The Account Status by the CRRG's precedence. With a balance owed: a charge-off (97) over a repossession (96) or
 * a voluntary surrender (95), those over a collection placement (93), that over the days past due (CRRG FAQ 62:
 * a repossessed account is 96 until its deficiency is charged off, then 97). Paid in full or closed at zero: was a
 * charge-off 64, was a repossession 63, was a voluntary surrender 61, was a collection account 62, else 13.
 */
export function accountStatusOf(s: ServicingState): DerivedStatus {
  const atClose = delinquencyDigit(s.daysPastDueAtClose ?? s.daysPastDue);
  const owed = s.currentBalance > 0;
  if (s.condition === 'charged_off') return { accountStatus: owed ? '97' : '64', paymentRating: '' };
  if (s.condition === 'paid' || (s.condition === 'closed_with_balance' && !owed)) {
    if (s.collateral === 'repossessed') return { accountStatus: '63', paymentRating: '' };
    if (s.collateral === 'surrendered') return { accountStatus: '61', paymentRating: '' };
    if (s.collection) return { accountStatus: '62', paymentRating: '' };
    return { accountStatus: '13', paymentRating: atClose };
  }
  if (s.collateral === 'repossessed') return { accountStatus: '96', paymentRating: '' };
  if (s.collateral === 'surrendered') return { accountStatus: '95', paymentRating: atClose };
  if (s.collection) return { accountStatus: '93', paymentRating: '' };
  return { accountStatus: delinquencyStatus(s.daysPastDue), paymentRating: '' };
}

/** One character of the history profile for a month-end: L charge-off, K repossession, J surrender, G collection. */
export function historyCode(m: MonthEnd | undefined): string {
  if (!m) return 'D'; // no payment history available this month
  if (m.condition === 'charged_off') return 'L';
  if (m.balance > 0 && m.collateral === 'repossessed') return 'K';
  if (m.balance > 0 && m.collateral === 'surrendered') return 'J';
  if (m.balance > 0 && m.collection) return 'G';
  return m.balance <= 0 && m.daysPastDue < 30 ? 'E' : delinquencyDigit(m.daysPastDue);
}

/**
 * The 24 months before the month of the Date of Account Information, most recent first: position 1 is the month
 * before. Months before the account opened are `B`; months without a record are `D`.
 */
export function paymentHistoryProfile(
  asOf: CalendarDate,
  opened: CalendarDate,
  monthEnds: ReadonlyMap<string, MonthEnd>,
): string {
  const first = fromParts(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)), 1);
  const openedMonth = opened.slice(0, 7);
  let profile = '';
  for (let k = 1; k <= 24; k++) {
    const month = addMonths(first, -k).slice(0, 7);
    profile += month < openedMonth ? 'B' : historyCode(monthEnds.get(month));
  }
  return profile;
}
