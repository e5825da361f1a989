import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../../kernel/dates.js';
import { fieldOf } from './encode.js';
import { metro2File } from './file.js';
import { BASE_LAYOUT, HEADER_LAYOUT, TRAILER_LAYOUT } from './layout.js';
import { baseSegment, type Metro2Account, type Metro2Furnisher, wholeDollars } from './records.js';
import type { ServicingState } from './status.js';

const d = parseDate;
// Base Segment positions as the CRRG prints them (1-based, inclusive), written out independently of layout.ts.
const CRRG_BASE: [string, number, number][] = [
  ['record_descriptor_word', 1, 4],
  ['processing_indicator', 5, 5],
  ['time_stamp', 6, 19],
  ['identification_number', 21, 40],
  ['cycle_identifier', 41, 42],
  ['consumer_account_number', 43, 72],
  ['portfolio_type', 73, 73],
  ['account_type', 74, 75],
  ['date_opened', 76, 83],
  ['credit_limit', 84, 92],
  ['highest_credit', 93, 101],
  ['terms_duration', 102, 104],
  ['terms_frequency', 105, 105],
  ['scheduled_monthly_payment_amount', 106, 114],
  ['actual_payment_amount', 115, 123],
  ['account_status', 124, 125],
  ['payment_rating', 126, 126],
  ['payment_history_profile', 127, 150],
  ['special_comment', 151, 152],
  ['compliance_condition_code', 153, 154],
  ['current_balance', 155, 163],
  ['amount_past_due', 164, 172],
  ['original_charge_off_amount', 173, 181],
  ['date_of_account_information', 182, 189],
  ['date_of_first_delinquency', 190, 197],
  ['date_closed', 198, 205],
  ['date_of_last_payment', 206, 213],
  ['interest_type_indicator', 214, 214],
  ['surname', 232, 256],
  ['first_name', 257, 276],
  ['middle_name', 277, 296],
  ['generation_code', 297, 297],
  ['social_security_number', 298, 306],
  ['date_of_birth', 307, 314],
  ['telephone_number', 315, 324],
  ['ecoa_code', 325, 325],
  ['consumer_information_indicator', 326, 327],
  ['country_code', 328, 329],
  ['first_line_of_address', 330, 361],
  ['second_line_of_address', 362, 393],
  ['city', 394, 413],
  ['state', 414, 415],
  ['postal_zip_code', 416, 424],
  ['address_indicator', 425, 425],
  ['residence_code', 426, 426],
];
const CRRG_HEADER: [string, number, number][] = [
  ['record_identifier', 5, 10],
  ['activity_date', 48, 55],
  ['date_created', 56, 63],
  ['reporter_name', 80, 119],
  ['reporter_address', 120, 215],
  ['reporter_telephone_number', 216, 225],
  ['software_vendor_name', 226, 265],
];
const CRRG_TRAILER: [string, number, number][] = [
  ['record_identifier', 5, 11],
  ['total_base_records', 12, 20],
  ['block_count', 57, 65],
  ['total_status_code_11', 84, 92],
  ['total_status_code_13', 93, 101],
  ['total_status_code_71', 147, 155],
  ['total_status_code_97', 255, 263],
  ['total_ssns_base_segments', 336, 344],
  ['total_dates_of_birth_base_segments', 372, 380],
  ['total_telephone_numbers_all_segments', 399, 407],
];

const slice = (record: string, from: number, to: number) => record.slice(from - 1, to);

const furnisher: Metro2Furnisher = {
  identificationNumber: 'PLINTH0001',
  programIdentifiers: { equifax: 'EFX123', transunion: 'TU456' },
  reporterName: 'Plinth Lending Co',
  reporterAddress: '1 Market St, San Francisco CA 94105',
  reporterTelephone: '4155550100',
};
const cycle = { asOf: d('2024-06-30'), createdAt: new Date('2024-07-01T06:05:04Z') };
const current: ServicingState = {
  condition: 'open',
  daysPastDue: 0,
  currentBalance: 812_399,
  amountPastDue: 0,
};
const account = (servicing: ServicingState, more: Partial<Metro2Account> = {}): Metro2Account => ({
  accountNumber: 'L-000123',
  portfolioType: 'I',
  accountType: '01',
  dateOpened: d('2023-11-15'),
  highestCredit: 1_000_000,
  termsDuration: '036',
  termsFrequency: 'M',
  scheduledMonthlyPayment: 36_149,
  actualPayment: 36_149,
  servicing,
  monthEnds: new Map([['2024-05', { condition: 'open', daysPastDue: 0, balance: 840_000 }]]),
  dateOfLastPayment: d('2024-06-15'),
  interestType: 'F',
  consumer: {
    surname: 'Peña',
    firstName: 'José',
    middleName: 'Q',
    ssn: '123456789',
    dateOfBirth: d('1985-04-03'),
    ecoaCode: '1',
    address: { line1: '1 Market St', city: 'San Francisco', state: 'CA', postalCode: '94105' },
    countryCode: 'US',
  },
  ...more,
});

describe('Metro 2 layouts', () => {
  it('place the Base Segment, Header and Trailer fields where the CRRG does', () => {
    for (const [layout, crrg] of [
      [BASE_LAYOUT, CRRG_BASE],
      [HEADER_LAYOUT, CRRG_HEADER],
      [TRAILER_LAYOUT, CRRG_TRAILER],
    ] as const) {
      for (const [key, from, to] of crrg) {
        const f = layout.find((x) => x.key === key)!;
        expect([key, f.start, f.start + f.length - 1]).toEqual([key, from, to]);
      }
    }
  });
});

describe('base segment', () => {
  it('is exactly 426 bytes with every field in place', () => {
    const base = baseSegment(account(current), furnisher, cycle);
    if (!base.ok) throw new Error(JSON.stringify(base.error));
    const r = base.value;
    expect(Buffer.byteLength(r, 'ascii')).toBe(426);
    expect(r.length).toBe(426);
    const at = (key: string) => {
      const [, from, to] = CRRG_BASE.find(([k]) => k === key)!;
      return slice(r, from, to);
    };
    expect(at('record_descriptor_word')).toBe('0426');
    expect(at('processing_indicator')).toBe('1');
    expect(at('time_stamp')).toBe('07012024060504');
    expect(at('identification_number')).toBe('PLINTH0001          ');
    expect(at('consumer_account_number')).toBe('L-000123'.padEnd(30));
    expect(at('portfolio_type') + at('account_type')).toBe('I01');
    expect(at('date_opened')).toBe('11152023');
    expect(at('credit_limit')).toBe('000000000');
    expect(at('highest_credit')).toBe('000010000');
    expect(at('terms_duration') + at('terms_frequency')).toBe('036M');
    expect(at('scheduled_monthly_payment_amount')).toBe('000000361');
    expect(at('account_status') + at('payment_rating')).toBe('11 ');
    expect(at('payment_history_profile')).toBe(`0${'D'.repeat(6)}${'B'.repeat(17)}`);
    expect(at('current_balance')).toBe('000008123');
    expect(at('amount_past_due')).toBe('000000000');
    expect(at('date_of_account_information')).toBe('06302024');
    expect(at('date_of_first_delinquency')).toBe('00000000');
    expect(at('date_of_last_payment')).toBe('06152024');
    expect(at('surname')).toBe('PENA'.padEnd(25));
    expect(at('first_name')).toBe('JOSE'.padEnd(20));
    expect(at('social_security_number')).toBe('123456789');
    expect(at('date_of_birth')).toBe('04031985');
    expect(at('telephone_number')).toBe('0000000000');
    expect(at('ecoa_code') + at('country_code')).toBe('1US');
    expect(at('city')).toBe('SAN FRANCISCO'.padEnd(20));
    expect(at('state') + at('postal_zip_code')).toBe('CA94105    ');
    expect(slice(r, 20, 20)).toBe(' ');
    expect(slice(r, 215, 231)).toBe(' '.repeat(17));
  });

  it('reports a charge-off: status 97, the balance all past due, the original charge-off', () => {
    const chargedOff = account(
      { condition: 'charged_off', daysPastDue: 185, currentBalance: 700_050, amountPastDue: 180_000 },
      { originalChargeOff: 750_099, dateOfFirstDelinquency: d('2023-12-15') },
    );
    const base = baseSegment(chargedOff, furnisher, cycle);
    if (!base.ok) throw new Error(JSON.stringify(base.error));
    const field = (key: string) => fieldOf(base.value, BASE_LAYOUT.find((f) => f.key === key)!);
    expect(field('account_status')).toBe('97');
    expect(field('current_balance')).toBe('000007000');
    expect(field('amount_past_due')).toBe('000007000');
    expect(field('original_charge_off_amount')).toBe('000007500');
    expect(field('date_of_first_delinquency')).toBe('12152023');
  });

  it('places status 93, 95 and 96 and 61, 62 and 63 where the CRRG does, with the fields each needs', () => {
    const at = (r: string, key: string) => {
      const [, from, to] = CRRG_BASE.find(([k]) => k === key)!;
      return slice(r, from, to);
    };
    const owed = {
      condition: 'open' as const,
      daysPastDue: 95,
      currentBalance: 650_075,
      amountPastDue: 108_447,
    };
    const cases: [Partial<ServicingState>, string, string][] = [
      [{ collection: true }, '93', ' '],
      [{ collateral: 'surrendered' }, '95', '3'],
      [{ collateral: 'repossessed', collection: true }, '96', ' '],
    ];
    for (const [more, code, rating] of cases) {
      const base = baseSegment(
        account({ ...owed, ...more }, { dateOfFirstDelinquency: d('2024-03-16') }),
        furnisher,
        cycle,
      );
      if (!base.ok) throw new Error(JSON.stringify(base.error));
      const r = base.value;
      expect(r.length).toBe(426);
      expect([code, at(r, 'account_status'), at(r, 'payment_rating')]).toEqual([code, code, rating]);
      expect(slice(r, 124, 125)).toBe(code);
      expect(at(r, 'current_balance')).toBe('000006500');
      expect(at(r, 'amount_past_due')).toBe('000001084');
      expect(at(r, 'date_of_first_delinquency')).toBe('03162024');
      expect(at(r, 'date_closed')).toBe('00000000');
    }
    const paid = { condition: 'paid' as const, daysPastDue: 0, currentBalance: 0, amountPastDue: 0 };
    const settled: [Partial<ServicingState>, string][] = [
      [{ collection: true }, '62'],
      [{ collateral: 'surrendered' }, '61'],
      [{ collateral: 'repossessed' }, '63'],
    ];
    for (const [more, code] of settled) {
      const base = baseSegment(
        account(
          { ...paid, ...more },
          { dateOfFirstDelinquency: d('2024-03-16'), dateClosed: d('2024-06-20') },
        ),
        furnisher,
        cycle,
      );
      if (!base.ok) throw new Error(JSON.stringify(base.error));
      const r = base.value;
      expect([code, at(r, 'account_status') + at(r, 'payment_rating')]).toEqual([code, `${code} `]);
      expect(at(r, 'current_balance') + at(r, 'amount_past_due')).toBe('0'.repeat(18));
      expect(at(r, 'date_closed')).toBe('06202024');
      expect(at(r, 'date_of_first_delinquency')).toBe('03162024');
    }
    // Without the dates the CRRG requires, the record is refused rather than written wrong.
    const noDates = baseSegment(account({ ...paid, collateral: 'repossessed' }), furnisher, cycle);
    expect(!noDates.ok && noDates.error.fields?.map((f) => f.path)).toEqual([
      'date_of_first_delinquency',
      'date_closed',
    ]);
    const noDofd = baseSegment(account({ ...owed, collection: true }), furnisher, cycle);
    expect(!noDofd.ok && noDofd.error.fields).toEqual([
      { path: 'date_of_first_delinquency', message: 'required with account status 93' },
    ]);
  });

  it('refuses a record that would be wrong, naming the fields', () => {
    const late = baseSegment(account({ ...current, daysPastDue: 45 }), furnisher, cycle);
    expect(!late.ok && late.error.fields).toEqual([
      { path: 'date_of_first_delinquency', message: 'required with account status 71' },
    ]);
    const long = baseSegment(account(current, { accountNumber: 'X'.repeat(31) }), furnisher, cycle);
    expect(!long.ok && long.error.fields).toEqual([
      { path: `accounts.${'X'.repeat(31)}.consumer_account_number`, message: 'longer than 30 characters' },
    ]);
  });

  it('reports whole dollars, cutting the cents, and a credit balance as zero', () => {
    expect(wholeDollars(123_499)).toBe(1234);
    expect(wholeDollars(-500)).toBe(0);
    expect(wholeDollars(123_450, 'half_up')).toBe(1235);
  });
});

describe('Metro 2 file', () => {
  it('streams a header, the base segments and a trailer that counts them, each 426 bytes', async () => {
    async function* accounts() {
      yield account(current);
      yield account(
        { ...current, daysPastDue: 40, amountPastDue: 36_149 },
        { accountNumber: 'L-2', dateOfFirstDelinquency: d('2024-05-21') },
      );
      yield account({ ...current, daysPastDue: 40 }, { accountNumber: 'L-bad' });
      yield account(
        { condition: 'paid', daysPastDue: 0, currentBalance: 0, amountPastDue: 0 },
        {
          accountNumber: 'L-3',
          dateClosed: d('2024-06-01'),
          consumer: { ...account(current).consumer, ssn: undefined },
        },
      );
    }
    const file = metro2File(furnisher, cycle, accounts(), '\n');
    const lines: string[] = [];
    for await (const r of file.records) lines.push(r);
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l.length).toBe(427);
    expect(lines[0]!.slice(4, 10)).toBe('HEADER');
    const trailer = lines[4]!;
    const t = (key: string) => {
      const [, from, to] = CRRG_TRAILER.find(([k]) => k === key)!;
      return Number(slice(trailer, from, to));
    };
    expect(slice(trailer, 5, 11)).toBe('TRAILER');
    expect([
      t('total_base_records'),
      t('block_count'),
      t('total_status_code_11'),
      t('total_status_code_71'),
      t('total_status_code_13'),
    ]).toEqual([3, 5, 1, 1, 1]);
    expect([
      t('total_ssns_base_segments'),
      t('total_dates_of_birth_base_segments'),
      t('total_telephone_numbers_all_segments'),
    ]).toEqual([2, 3, 0]);
    expect(file.rejected()).toEqual([
      {
        accountNumber: 'L-bad',
        issues: [{ path: 'date_of_first_delinquency', message: 'required with account status 71' }],
      },
    ]);
  });
});
