import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { decimalRounding, type Minor, type RoundingMode } from '../../../../kernel/money.js';
import { err, type FieldIssue, failure, type Result } from '../../../../kernel/result.js';
import { encodeRecord, type FieldValue, fieldOf } from './encode.js';
import { BASE_LAYOUT, HEADER_LAYOUT, RECORD_LENGTH, TRAILER_LAYOUT, TRAILER_STATUS_CODES } from './layout.js';
import {
  ACCOUNT_STATUS_CODES,
  accountStatusOf,
  type MonthEnd,
  paymentHistoryProfile,
  type ServicingState,
} from './status.js';

/** The data furnisher, once per file (Header Record). */
export interface Metro2Furnisher {
  identificationNumber: string;
  cycleIdentifier?: string;
  programIdentifiers: { innovis?: string; equifax?: string; experian?: string; transunion?: string };
  reporterName: string;
  reporterAddress: string;
  reporterTelephone?: string;
  softwareVendorName?: string;
  softwareVersion?: string;
  programDate?: CalendarDate;
  programRevisionDate?: CalendarDate;
}

export interface Metro2Consumer {
  surname: string;
  firstName: string;
  middleName?: string;
  generationCode?: string;
  ssn?: string;
  dateOfBirth?: CalendarDate;
  telephone?: string;
  /** 1 individual, 2 joint contractual, ... Z delete consumer. */
  ecoaCode: string;
  address: { line1: string; line2?: string; city: string; state: string; postalCode: string };
  countryCode?: string;
  addressIndicator?: string;
  residenceCode?: string;
}

/** One account as servicing knows it; amounts in minor units (Metro 2 gets whole dollars). */
export interface Metro2Account {
  accountNumber: string;
  /** C line of credit, I installment, M mortgage, O open, R revolving. */
  portfolioType: 'C' | 'I' | 'M' | 'O' | 'R';
  /** Two characters, e.g. 01 unsecured, 00 auto, 15 line of credit, 3A auto lease. */
  accountType: string;
  dateOpened: CalendarDate;
  creditLimit?: Minor;
  highestCredit: Minor;
  /** Months as 3 digits ("036"), or LOC / REV. */
  termsDuration: string;
  /** M monthly, W weekly, B biweekly, E semimonthly, P single payment, D deferred ... */
  termsFrequency: string;
  scheduledMonthlyPayment: Minor;
  actualPayment: Minor;
  servicing: ServicingState;
  monthEnds: ReadonlyMap<string, MonthEnd>;
  specialComment?: string;
  complianceConditionCode?: string;
  originalChargeOff?: Minor;
  dateOfFirstDelinquency?: CalendarDate;
  dateClosed?: CalendarDate;
  dateOfLastPayment?: CalendarDate;
  interestType?: 'F' | 'V';
  consumer: Metro2Consumer;
}

export interface Metro2Cycle {
  /** The Date of Account Information and the header's activity date. */
  asOf: CalendarDate;
  createdAt: Date;
  /** Cents to whole dollars; the CRRG reports whole dollars only. */
  rounding?: RoundingMode;
}

const RDW = String(RECORD_LENGTH).padStart(4, '0');

/** Minor units → whole dollars; a credit balance (negative) is reported as zero. */
export const wholeDollars = (minor: Minor | undefined, mode: RoundingMode = 'down'): number | undefined =>
  minor === undefined
    ? undefined
    : Math.max(0, new Decimal(minor).div(100).toDecimalPlaces(0, decimalRounding(mode)).toNumber());

export function headerRecord(furnisher: Metro2Furnisher, cycle: Metro2Cycle): Result<string> {
  const p = furnisher.programIdentifiers;
  return encodeRecord(HEADER_LAYOUT, {
    record_descriptor_word: RDW,
    record_identifier: 'HEADER',
    cycle_identifier: furnisher.cycleIdentifier,
    innovis_program_identifier: p.innovis,
    equifax_program_identifier: p.equifax,
    experian_program_identifier: p.experian,
    transunion_program_identifier: p.transunion,
    activity_date: cycle.asOf,
    date_created: cycle.createdAt.toISOString().slice(0, 10),
    program_date: furnisher.programDate,
    program_revision_date: furnisher.programRevisionDate,
    reporter_name: furnisher.reporterName,
    reporter_address: furnisher.reporterAddress,
    reporter_telephone_number: furnisher.reporterTelephone,
    software_vendor_name: furnisher.softwareVendorName,
    software_version_number: furnisher.softwareVersion,
  });
}

/**
 * Statuses that need the Date of First Delinquency (CRRG: 61-65, 71-84, 93-97): of those Plinth derives, all but
 * current (11) and paid or closed (13).
 */
const DELINQUENT = new Set<string>(ACCOUNT_STATUS_CODES.filter((c) => c !== '11' && c !== '13'));
/** Paid or closed at zero: current balance and amount past due 0, Date Closed required. */
const PAID_OR_CLOSED = new Set(['13', '61', '62', '63', '64']);

export function baseSegment(
  account: Metro2Account,
  furnisher: Metro2Furnisher,
  cycle: Metro2Cycle,
): Result<string> {
  const s = account.servicing;
  const { accountStatus, paymentRating } = accountStatusOf(s);
  const $ = (minor: Minor | undefined) => wholeDollars(minor, cycle.rounding);
  const issues: FieldIssue[] = [];
  if (DELINQUENT.has(accountStatus) && !account.dateOfFirstDelinquency)
    issues.push({
      path: 'date_of_first_delinquency',
      message: `required with account status ${accountStatus}`,
    });
  if (PAID_OR_CLOSED.has(accountStatus) && !account.dateClosed)
    issues.push({ path: 'date_closed', message: `required with account status ${accountStatus}` });
  if ((accountStatus === '97' || accountStatus === '64') && account.originalChargeOff === undefined)
    issues.push({
      path: 'original_charge_off_amount',
      message: `required with account status ${accountStatus}`,
    });
  if (issues.length > 0)
    return err(
      failure('unprocessable', 'invalid_metro2_record', `account ${account.accountNumber}`, {
        fields: issues,
      }),
    );

  const paidOrClosed = PAID_OR_CLOSED.has(accountStatus);
  const balance = paidOrClosed ? 0 : $(s.currentBalance);
  // A charged-off balance is all past due (CRRG: Amount Past Due equals the Current Balance for status 97).
  const pastDue = paidOrClosed ? 0 : accountStatus === '97' ? balance : $(s.amountPastDue);
  const c = account.consumer;
  const values: Record<string, FieldValue> = {
    record_descriptor_word: RDW,
    processing_indicator: 1,
    time_stamp: cycle.createdAt,
    identification_number: furnisher.identificationNumber,
    cycle_identifier: furnisher.cycleIdentifier,
    consumer_account_number: account.accountNumber,
    portfolio_type: account.portfolioType,
    account_type: account.accountType,
    date_opened: account.dateOpened,
    credit_limit: $(account.creditLimit),
    highest_credit: $(account.highestCredit),
    terms_duration: account.termsDuration,
    terms_frequency: account.termsFrequency,
    scheduled_monthly_payment_amount: $(account.scheduledMonthlyPayment),
    actual_payment_amount: $(account.actualPayment),
    account_status: accountStatus,
    payment_rating: paymentRating,
    payment_history_profile: paymentHistoryProfile(cycle.asOf, account.dateOpened, account.monthEnds),
    special_comment: account.specialComment,
    compliance_condition_code: account.complianceConditionCode,
    current_balance: balance,
    amount_past_due: pastDue,
    original_charge_off_amount: $(account.originalChargeOff),
    date_of_account_information: cycle.asOf,
    date_of_first_delinquency: account.dateOfFirstDelinquency,
    date_closed: account.dateClosed,
    date_of_last_payment: account.dateOfLastPayment,
    interest_type_indicator: account.interestType,
    surname: c.surname,
    first_name: c.firstName,
    middle_name: c.middleName,
    generation_code: c.generationCode,
    social_security_number: c.ssn,
    date_of_birth: c.dateOfBirth,
    telephone_number: c.telephone,
    ecoa_code: c.ecoaCode,
    country_code: c.countryCode,
    first_line_of_address: c.address.line1,
    second_line_of_address: c.address.line2,
    city: c.address.city,
    state: c.address.state,
    postal_zip_code: c.address.postalCode,
    address_indicator: c.addressIndicator,
    residence_code: c.residenceCode,
  };
  return encodeRecord(BASE_LAYOUT, values, `accounts.${account.accountNumber}.`);
}

const baseField = (key: string) => BASE_LAYOUT.find((f) => f.key === key)!;

/** Tallies the base segments a file carries, for its Trailer Record. */
export class TrailerTally {
  #bases = 0;
  readonly #status = new Map<string, number>();
  #ssn = 0;
  #dob = 0;
  #phone = 0;
  #ecoaZ = 0;

  add(base: string): void {
    this.#bases++;
    const status = fieldOf(base, baseField('account_status'));
    this.#status.set(status, (this.#status.get(status) ?? 0) + 1);
    if (/[1-9]/.test(fieldOf(base, baseField('social_security_number')))) this.#ssn++;
    if (/[1-9]/.test(fieldOf(base, baseField('date_of_birth')))) this.#dob++;
    if (/[1-9]/.test(fieldOf(base, baseField('telephone_number')))) this.#phone++;
    if (fieldOf(base, baseField('ecoa_code')) === 'Z') this.#ecoaZ++;
  }

  record(): Result<string> {
    const values: Record<string, FieldValue> = {
      record_descriptor_word: RDW,
      record_identifier: 'TRAILER',
      total_base_records: this.#bases,
      // Every record is its own block: header, bases, trailer.
      block_count: this.#bases + 2,
      total_ecoa_code_z: this.#ecoaZ,
      total_ssns_all_segments: this.#ssn,
      total_ssns_base_segments: this.#ssn,
      total_dates_of_birth_all_segments: this.#dob,
      total_dates_of_birth_base_segments: this.#dob,
      total_telephone_numbers_all_segments: this.#phone,
    };
    for (const code of TRAILER_STATUS_CODES)
      values[`total_status_code_${code}`] = this.#status.get(code) ?? 0;
    return encodeRecord(TRAILER_LAYOUT, values);
  }
}
