import { z } from 'zod';
import { addDays, addMonths, type CalendarDate } from '../../../kernel/dates.js';
import {
  type CreditAccountRecord,
  positionState,
  type ServicingStatus,
  type StatusRecord,
  statusAsOf,
} from '../../lending/index.js';
import type { Customer } from '../../tenancy/index.js';
import {
  accountStatusOf,
  BASE_LAYOUT,
  fieldOf,
  HEADER_LAYOUT,
  type Metro2Account,
  type Metro2Consumer,
  type Metro2Furnisher,
  type MonthEnd,
  metro2File,
  metro2Text,
  type Recovery,
  type RejectedAccount,
  type ReportGenerator,
  type ServicingCondition,
  TRAILER_LAYOUT,
} from '../domain/index.js';
import { balanceOf, programParam, type ReportSource } from './source.js';

const HEADER_ID = HEADER_LAYOUT.find((f) => f.key === 'record_identifier')!;
const TRAILER_ID = TRAILER_LAYOUT.find((f) => f.key === 'record_identifier')!;
const ACCOUNT_NUMBER = BASE_LAYOUT.find((f) => f.key === 'consumer_account_number')!;
const text = (max: number) => z.string().trim().min(1).max(max);

const metro2Params = z.strictObject({
  /** The furnisher's identification number the consumer reporting agencies assigned (Header and Base). */
  identification_number: text(20),
  reporter_name: text(40),
  reporter_address: text(96),
  reporter_telephone: z
    .string()
    .regex(/^\d{10}$/, 'ten digits')
    .optional(),
  cycle_identifier: text(2).optional(),
  equifax_program_identifier: text(10).optional(),
  experian_program_identifier: text(5).optional(),
  transunion_program_identifier: text(10).optional(),
  innovis_program_identifier: text(10).optional(),
  /** Metro 2 account type per lending product (two characters). */
  account_types: z
    .strictObject({
      installment_loan: z.string().length(2).default('01'),
      line_of_credit: z.string().length(2).default('15'),
      lease: z.string().length(2).default('3A'),
    })
    .default({ installment_loan: '01', line_of_credit: '15', lease: '3A' }),
  ...programParam,
});
type Metro2Params = z.output<typeof metro2Params>;

/** Lending's status as Metro 2's servicing condition. */
function conditionOf(status: string, balance: number): ServicingCondition {
  const state = positionState(status);
  if (state === 'charged_off') return 'charged_off';
  if (state === 'paid_off') return balance > 0 ? 'closed_with_balance' : 'paid';
  return 'open';
}

/** Lending's servicing status (collections, collateral) as Metro 2's recovery. */
const recoveryOf = (s: ServicingStatus): Recovery => ({
  ...(s.collection && { collection: true }),
  ...(s.collateral && { collateral: s.collateral.kind === 'repossession' ? 'repossessed' : 'surrendered' }),
});

/** The last day of a month (`YYYY-MM`). */
const monthEndOf = (month: string): CalendarDate => addDays(addMonths(`${month}-01` as CalendarDate, 1), -1);

/** The frozen dates of first delinquency of the placement and the recovery in force (the earlier of them). */
function recoveryDelinquency(s: ServicingStatus): CalendarDate | undefined {
  const dates = [s.collection?.firstDelinquency, s.collateral?.firstDelinquency].filter(
    (d): d is CalendarDate => !!d,
  );
  return dates.sort()[0];
}

const latest = (history: readonly StatusRecord[]): CalendarDate =>
  history.reduce((m, r) => (r.effectiveDate > m ? r.effectiveDate : m), '0001-01-01' as CalendarDate);

/** The consumer account number (30 characters): the loan's external ref, else its UUID in base 36 (25). */
export const accountNumberOf = (l: CreditAccountRecord): string =>
  l.externalRef ??
  BigInt(`0x${l.id.replaceAll('-', '')}`)
    .toString(36)
    .padStart(25, '0');

/** A legal name as Metro 2's name fields: the last word the surname, the first the first name, the rest middle. */
function consumerOf(c: Customer, ssn: string | undefined): Metro2Consumer | undefined {
  const words = c.legalName.trim().split(/\s+/);
  if (words.length < 2 || !c.address?.lines[0] || !c.address.state || !c.address.postal_code)
    return undefined;
  return {
    surname: words.at(-1)!,
    firstName: words[0]!,
    ...(words.length > 2 && { middleName: words.slice(1, -1).join(' ') }),
    ...(ssn && { ssn }),
    ...(c.dateOfBirth && { dateOfBirth: c.dateOfBirth as CalendarDate }),
    ...(c.phone && { telephone: c.phone.replace(/\D/g, '').slice(-10) }),
    ecoaCode: '1',
    address: {
      line1: c.address.lines[0],
      ...(c.address.lines[1] && { line2: c.address.lines[1] }),
      city: c.address.city,
      state: c.address.state,
      postalCode: c.address.postal_code.replace(/\D/g, ''),
    },
  };
}

export function metro2Account(
  l: CreditAccountRecord,
  consumer: Metro2Consumer,
  params: Metro2Params,
): Metro2Account {
  // Lending writes a charged-off balance off its books; the consumer still owes it, less what was recovered.
  const balance =
    positionState(l.status) === 'charged_off' && l.chargeOff
      ? Math.max(0, l.chargeOff.amount - l.chargeOff.recovered)
      : balanceOf(l);
  const condition = conditionOf(l.status, balance);
  const monthEnds = new Map<string, MonthEnd>(
    l.monthEnds.map((m) => [
      m.month,
      {
        condition: conditionOf(m.status, m.balance),
        daysPastDue: m.daysPastDue,
        balance: m.balance,
        ...recoveryOf(statusAsOf(l.servicingHistory, monthEndOf(m.month))),
      },
    ]),
  );
  const line = l.product === 'line_of_credit';
  const dateClosed = condition === 'charged_off' ? l.chargeOff?.date : (l.lastPaymentDate ?? l.offBookSince);
  // An account paid or closed is reported by what it was when it was paid (62 paid while in collection, 63 a
  // repossession): the status the day before it closed, so a recall after the payoff does not hide it.
  const settled = condition !== 'open' && condition !== 'charged_off' && dateClosed;
  const status = statusAsOf(
    l.servicingHistory,
    settled ? addDays(dateClosed, -1) : latest(l.servicingHistory),
  );
  const servicing = {
    condition,
    daysPastDue: l.daysPastDue,
    currentBalance: balance,
    amountPastDue: l.pastDue,
    ...recoveryOf(status),
  };
  const { accountStatus } = accountStatusOf(servicing);
  // The first delinquency is the day the oldest unpaid payment became 30 days late (CRRG's Date of First
  // Delinquency); it stays with a charge-off. A collection placement or a recovery keeps the date it froze when it
  // was recorded (its effective date for an account that was not 30 days late then).
  const delinquent = accountStatus !== '11' && accountStatus !== '13';
  const late = l.oldestUnpaidDue ? addDays(l.oldestUnpaidDue, 30) : undefined;
  const firstDelinquency = [late, recoveryDelinquency(status)]
    .filter((d): d is CalendarDate => !!d)
    .sort()[0];
  return {
    accountNumber: accountNumberOf(l),
    portfolioType: line ? 'C' : 'I',
    accountType: params.account_types[l.product as keyof Metro2Params['account_types']] ?? '01',
    dateOpened: l.startDate,
    ...(line && { creditLimit: l.amount }),
    highestCredit: l.amount,
    termsDuration: line ? 'LOC' : String(l.installmentCount).padStart(3, '0'),
    termsFrequency: 'M',
    scheduledMonthlyPayment: l.scheduledPayment,
    actualPayment: l.paidThisMonth,
    servicing,
    monthEnds,
    ...(l.chargeOff && { originalChargeOff: l.chargeOff.amount }),
    ...(delinquent && firstDelinquency && { dateOfFirstDelinquency: firstDelinquency }),
    ...(condition !== 'open' && dateClosed && { dateClosed }),
    ...(l.lastPaymentDate && { dateOfLastPayment: l.lastPaymentDate }),
    interestType: 'F',
    consumer,
  };
}

/**
 * Metro 2 credit reporting: the Header Record, a 426-byte Base Segment per loan that has been on book (its
 * status, balances in whole dollars and 24-month payment history from the recorded month ends), and the Trailer
 * Record with its counts, as of the tenant's business date. A row per record; an account whose record would be
 * wrong (no customer, an incomplete address, a delinquency without its date) is left out and counted.
 */
export const metro2CreditReporting: ReportGenerator<Metro2Params, ReportSource> = {
  key: 'metro2_credit_reporting',
  displayName: 'Metro 2 credit reporting',
  description:
    'Metro 2 (CRRG character format) Header, Base Segments and Trailer, 426 bytes each, as of the business date',
  paramsSchema: metro2Params,
  run(params, source) {
    const rejected: RejectedAccount[] = [];
    const counts = { base: 0 };
    const statuses = new Map<string, string>();
    const asOf = { date: '' as CalendarDate };
    async function* accounts(): AsyncIterable<Metro2Account> {
      let page: CreditAccountRecord[] = [];
      const flush = async function* () {
        const ids = page.flatMap((l) => (l.customerId ? [l.customerId] : []));
        const [customers, taxIds] = await Promise.all([source.customers(ids), source.taxIds(ids)]);
        for (const l of page) {
          const customer = l.customerId ? customers.get(l.customerId) : undefined;
          const consumer = customer && consumerOf(customer, taxIds.get(customer.id));
          if (!consumer) {
            const why = customer ? 'needs a first and last name and an address with state and ZIP' : 'none';
            rejected.push({
              accountNumber: accountNumberOf(l),
              issues: [{ path: 'customer', message: why }],
            });
            continue;
          }
          const account = metro2Account(l, consumer, params);
          // keyed as the record spells the account number, to label the record's row
          statuses.set(
            metro2Text(account.accountNumber).trim(),
            accountStatusOf(account.servicing).accountStatus,
          );
          yield account;
        }
        page = [];
      };
      for await (const l of source.lending.creditAccounts(source.tenantId, {
        programId: params.program_id,
      })) {
        page.push(l);
        if (page.length === 500) yield* flush();
      }
      yield* flush();
    }
    async function* rows() {
      asOf.date = (await source.lending.businessDate(source.tenantId)) ?? ('' as CalendarDate);
      if (!asOf.date) throw new Error('the tenant has no business date yet: nothing to report');
      const furnisher: Metro2Furnisher = {
        identificationNumber: params.identification_number,
        ...(params.cycle_identifier && { cycleIdentifier: params.cycle_identifier }),
        programIdentifiers: {
          equifax: params.equifax_program_identifier,
          experian: params.experian_program_identifier,
          transunion: params.transunion_program_identifier,
          innovis: params.innovis_program_identifier,
        },
        reporterName: params.reporter_name,
        reporterAddress: params.reporter_address,
        ...(params.reporter_telephone && { reporterTelephone: params.reporter_telephone }),
        softwareVendorName: 'PLINTH',
      };
      const file = metro2File(furnisher, { asOf: asOf.date, createdAt: new Date() }, accounts());
      for await (const record of file.records) {
        const type =
          fieldOf(record, HEADER_ID) === 'HEADER'
            ? 'header'
            : fieldOf(record, TRAILER_ID) === 'TRAILER'
              ? 'trailer'
              : 'base';
        const account = type === 'base' ? fieldOf(record, ACCOUNT_NUMBER).trimEnd() : null;
        if (type === 'base') counts.base++;
        yield {
          record_type: type,
          account,
          account_status: (account && statuses.get(account)) ?? null,
          record,
        };
      }
      rejected.push(...file.rejected());
    }
    return {
      columns: [
        { key: 'record_type', label: 'Record', type: 'string' },
        { key: 'account', label: 'Consumer account number', type: 'string' },
        { key: 'account_status', label: 'Account status', type: 'string' },
        { key: 'record', label: 'Metro 2 record (426 bytes)', type: 'string' },
      ],
      rows: rows(),
      summary: () => ({
        rows: counts.base + 2,
        figures: [
          { label: 'Date of account information', value: asOf.date, type: 'date' },
          { label: 'Base segments', value: counts.base, type: 'integer' },
          { label: 'Accounts left out (record would be wrong)', value: rejected.length, type: 'integer' },
          ...rejected.slice(0, 20).map((r) => ({
            label: `Left out: ${r.accountNumber}`,
            value: r.issues.map((i) => `${i.path} ${i.message}`).join('; '),
            type: 'string' as const,
          })),
        ],
      }),
    };
  },
};
