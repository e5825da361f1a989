/**
 * Metro 2® character-format record layouts (426 bytes each), as the CDIA Credit Reporting Resource Guide lays
 * them out: the Header Record, the Base Segment and the Trailer Record. Positions are 1-based and inclusive, as
 * the guide prints them. Kinds: `A` alphanumeric (left-justified, blank-filled, upper case), `N` numeric
 * (right-justified, zero-filled), `D` a date MMDDYYYY (zero-filled when absent), `T` a time stamp
 * MMDDYYYYHHMMSS, `R` reserved (blank).
 */
export type FieldKind = 'A' | 'N' | 'D' | 'T' | 'R';

export interface FieldSpec {
  key: string;
  start: number;
  length: number;
  kind: FieldKind;
  /** Names and addresses may be cut to fit; identifiers may not. */
  truncate?: boolean;
}

export const RECORD_LENGTH = 426;

type Row = [key: string, length: number, kind: FieldKind, truncate?: boolean];

/** Lays fields end to end from position 1 and checks they fill exactly 426 bytes. */
function layout(rows: readonly Row[]): FieldSpec[] {
  let start = 1;
  const fields = rows.map(([key, length, kind, truncate]) => {
    const f: FieldSpec = { key, start, length, kind, ...(truncate ? { truncate } : {}) };
    start += length;
    return f;
  });
  if (start - 1 !== RECORD_LENGTH)
    throw new Error(`a Metro 2 layout must be ${RECORD_LENGTH} bytes, not ${start - 1}`);
  return fields;
}

export const HEADER_LAYOUT = layout([
  ['record_descriptor_word', 4, 'N'],
  ['record_identifier', 6, 'A'],
  ['cycle_identifier', 2, 'A'],
  ['innovis_program_identifier', 10, 'A'],
  ['equifax_program_identifier', 10, 'A'],
  ['experian_program_identifier', 5, 'A'],
  ['transunion_program_identifier', 10, 'A'],
  ['activity_date', 8, 'D'],
  ['date_created', 8, 'D'],
  ['program_date', 8, 'D'],
  ['program_revision_date', 8, 'D'],
  ['reporter_name', 40, 'A', true],
  ['reporter_address', 96, 'A', true],
  ['reporter_telephone_number', 10, 'N'],
  ['software_vendor_name', 40, 'A', true],
  ['software_version_number', 5, 'A', true],
  ['prbc_program_identifier', 10, 'A'],
  ['reserved', 146, 'R'],
]);

export const BASE_LAYOUT = layout([
  ['record_descriptor_word', 4, 'N'],
  ['processing_indicator', 1, 'N'],
  ['time_stamp', 14, 'T'],
  ['reserved_1', 1, 'R'],
  ['identification_number', 20, 'A'],
  ['cycle_identifier', 2, 'A'],
  ['consumer_account_number', 30, 'A'],
  ['portfolio_type', 1, 'A'],
  ['account_type', 2, 'A'],
  ['date_opened', 8, 'D'],
  ['credit_limit', 9, 'N'],
  ['highest_credit', 9, 'N'],
  ['terms_duration', 3, 'A'],
  ['terms_frequency', 1, 'A'],
  ['scheduled_monthly_payment_amount', 9, 'N'],
  ['actual_payment_amount', 9, 'N'],
  ['account_status', 2, 'A'],
  ['payment_rating', 1, 'A'],
  ['payment_history_profile', 24, 'A'],
  ['special_comment', 2, 'A'],
  ['compliance_condition_code', 2, 'A'],
  ['current_balance', 9, 'N'],
  ['amount_past_due', 9, 'N'],
  ['original_charge_off_amount', 9, 'N'],
  ['date_of_account_information', 8, 'D'],
  ['date_of_first_delinquency', 8, 'D'],
  ['date_closed', 8, 'D'],
  ['date_of_last_payment', 8, 'D'],
  ['interest_type_indicator', 1, 'A'],
  ['reserved_2', 17, 'R'],
  ['surname', 25, 'A', true],
  ['first_name', 20, 'A', true],
  ['middle_name', 20, 'A', true],
  ['generation_code', 1, 'A'],
  ['social_security_number', 9, 'N'],
  ['date_of_birth', 8, 'D'],
  ['telephone_number', 10, 'N'],
  ['ecoa_code', 1, 'A'],
  ['consumer_information_indicator', 2, 'A'],
  ['country_code', 2, 'A'],
  ['first_line_of_address', 32, 'A', true],
  ['second_line_of_address', 32, 'A', true],
  ['city', 20, 'A', true],
  ['state', 2, 'A'],
  ['postal_zip_code', 9, 'A'],
  ['address_indicator', 1, 'A'],
  ['residence_code', 1, 'A'],
]);

/** Status codes the trailer counts, in its order. */
export const TRAILER_STATUS_CODES = [
  'DF',
  'DA',
  '05',
  '11',
  '13',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '78',
  '80',
  '82',
  '83',
  '84',
  '88',
  '89',
  '93',
  '94',
  '95',
  '96',
  '97',
] as const;

export const TRAILER_LAYOUT = layout([
  ['record_descriptor_word', 4, 'N'],
  ['record_identifier', 7, 'A'],
  ['total_base_records', 9, 'N'],
  ['reserved_1', 9, 'R'],
  ['total_status_code_DF', 9, 'N'],
  ['total_consumer_segments_j1', 9, 'N'],
  ['total_consumer_segments_j2', 9, 'N'],
  ['block_count', 9, 'N'],
  ...TRAILER_STATUS_CODES.filter((c) => c !== 'DF').map((c): Row => [`total_status_code_${c}`, 9, 'N']),
  ['total_ecoa_code_z', 9, 'N'],
  ['total_employment_segments', 9, 'N'],
  ['total_original_creditor_segments', 9, 'N'],
  ['total_purchased_from_sold_to_segments', 9, 'N'],
  ['total_mortgage_information_segments', 9, 'N'],
  ['total_specialized_payment_information_segments', 9, 'N'],
  ['total_change_segments', 9, 'N'],
  ['total_ssns_all_segments', 9, 'N'],
  ['total_ssns_base_segments', 9, 'N'],
  ['total_ssns_j1_segments', 9, 'N'],
  ['total_ssns_j2_segments', 9, 'N'],
  ['total_dates_of_birth_all_segments', 9, 'N'],
  ['total_dates_of_birth_base_segments', 9, 'N'],
  ['total_dates_of_birth_j1_segments', 9, 'N'],
  ['total_dates_of_birth_j2_segments', 9, 'N'],
  ['total_telephone_numbers_all_segments', 9, 'N'],
  ['reserved_2', 19, 'R'],
]);
