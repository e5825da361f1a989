import { createHash } from 'node:crypto';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { FileStatement } from '../file-formats.js';
import type { AccountType, ProviderTransactionData, TransactionStatus, TransactionType } from '../types.js';
import { leafCurrency, leafDate, leafInstant, missing, readCurSym, toMinor } from './fields.js';
import { END, LEAF, type Reader, START } from './reader.js';
import { maskAccountNumber, providerAccountId } from './values.js';

/** Bank and credit-card statements (OFX 11.4): STMTRS and CCSTMTRS. */

/**
 * TRNTYPE (OFX 11.4.4.3) to the normalized type and subtype. The amount's sign, not the type, says the direction.
 * DEBIT and CREDIT are generic, so they stay `other`; HOLD (OFX 2.1) is a temporary hold on funds, i.e. pending.
 */
const TRNTYPES = new Map<string, readonly [TransactionType, string]>(
  Object.entries({
    CREDIT: ['other', 'credit'],
    DEBIT: ['other', 'debit'],
    INT: ['income', 'interest'],
    DIV: ['income', 'dividend'],
    FEE: ['fee', 'account_fee'],
    SRVCHG: ['fee', 'service_charge'],
    DEP: ['transfer', 'deposit'],
    ATM: ['transfer', 'atm'],
    POS: ['purchase', 'pos'],
    XFER: ['transfer', 'transfer'],
    CHECK: ['payment', 'check'],
    PAYMENT: ['payment', 'electronic_payment'],
    CASH: ['transfer', 'cash_withdrawal'],
    DIRECTDEP: ['transfer', 'direct_deposit'],
    DIRECTDEBIT: ['payment', 'direct_debit'],
    REPEATPMT: ['payment', 'repeating_payment'],
    HOLD: ['adjustment', 'hold'],
    OTHER: ['other', 'other'],
  } satisfies Record<string, readonly [TransactionType, string]>),
);
const UNKNOWN_TRNTYPE = ['other', 'other'] as const;

const BANK_ACCOUNT_TYPES: Record<string, AccountType> = {
  CHECKING: 'checking',
  SAVINGS: 'savings',
  MONEYMRKT: 'money_market',
  CREDITLINE: 'line_of_credit',
  CD: 'certificate_of_deposit',
};

const ACCOUNT_LABELS: Record<AccountType, string> = {
  checking: 'Checking',
  savings: 'Savings',
  money_market: 'Money market',
  certificate_of_deposit: 'Certificate of deposit',
  credit_card: 'Credit card',
  line_of_credit: 'Line of credit',
  brokerage: 'Brokerage',
  retirement: 'Retirement',
  other: 'Account',
};

export const accountName = (type: AccountType, masked: string): string => `${ACCOUNT_LABELS[type]} ${masked}`;

interface AccountFrom {
  bankId: string;
  accountId: string;
  accountType: string;
}

/** BANKACCTFROM, CCACCTFROM or INVACCTFROM (START just returned); BROKERID counts as the bank id. */
export function readAccountFrom(r: Reader): AccountFrom {
  const tag = r.name;
  const openedAt = r.at;
  let bankId = '';
  let accountId = '';
  let accountType = '';
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'ACCTID') accountId = r.value;
      else if (r.name === 'BANKID' || r.name === 'BROKERID') bankId = r.value;
      else if (r.name === 'ACCTTYPE') accountType = r.value.toUpperCase();
    } else if (t === START) r.skip();
    else break;
  }
  if (!accountId) missing(r, 'ACCTID', tag, openedAt, false);
  return { bankId, accountId, accountType };
}

/** A balance aggregate (LEDGERBAL, AVAILBAL): BALAMT in minor units and DTASOF as an instant. */
export function readBalance(r: Reader, currency: string): { amount: Minor; asOf: string | null } {
  const tag = r.name;
  const openedAt = r.at;
  let text = '';
  let at = 0;
  let asOf: string | null = null;
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'BALAMT') {
        text = r.value;
        at = r.at;
      } else if (r.name === 'DTASOF') asOf = leafInstant(r);
    } else if (t === START) r.skip();
    else break;
  }
  if (!text) missing(r, 'BALAMT', tag, openedAt, false);
  return { amount: toMinor(r, text, currency, 'BALAMT', at), asOf };
}

/** STMTRS or CCSTMTRS (START just returned). */
export function readBankStatement(r: Reader, card: boolean): FileStatement {
  const tag = r.name;
  const openedAt = r.at;
  let currency = 'USD';
  let amountsRead = false;
  let from: AccountFrom | null = null;
  let ledger: { amount: Minor; asOf: string | null } | null = null;
  let available: { amount: Minor; asOf: string | null } | null = null;
  let period: FileStatement['period'] = null;
  const transactions: ProviderTransactionData[] = [];
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'CURDEF') {
        if (amountsRead) r.fail('<CURDEF> must come before the amounts it applies to');
        currency = leafCurrency(r);
      }
      continue;
    }
    if (t !== START) break;
    switch (r.name) {
      case 'BANKACCTFROM':
      case 'CCACCTFROM':
        from = readAccountFrom(r);
        break;
      case 'BANKTRANLIST':
        amountsRead = true;
        period = readTransactionList(r, currency, transactions);
        break;
      case 'BANKTRANLISTP':
        amountsRead = true;
        readPendingList(r, currency, transactions);
        break;
      case 'LEDGERBAL':
        amountsRead = true;
        ledger = readBalance(r, currency);
        break;
      case 'AVAILBAL':
        amountsRead = true;
        available = readBalance(r, currency);
        break;
      default:
        r.skip();
    }
  }
  if (!from) missing(r, card ? 'CCACCTFROM' : 'BANKACCTFROM', tag, openedAt, false);
  const accountType: AccountType = card ? 'credit_card' : (BANK_ACCOUNT_TYPES[from.accountType] ?? 'other');
  const masked = maskAccountNumber(from.accountId);
  return {
    account: {
      providerAccountId: providerAccountId([
        card ? 'creditcard' : 'bank',
        from.bankId,
        from.accountId,
        from.accountType,
      ]),
      accountNumberMasked: masked,
      name: accountName(accountType, masked),
      accountType,
      currency,
      balance: ledger?.amount ?? null,
      availableBalance: available?.amount ?? null,
      cashBalance: null,
      balanceAsOf: ledger?.asOf ?? available?.asOf ?? null,
      institution: null,
      isActive: true,
    },
    transactions,
    holdings: [],
    period,
  };
}

/** BANKTRANLIST: DTSTART, DTEND and the STMTTRNs, appended to `out` in file order. */
function readTransactionList(
  r: Reader,
  currency: string,
  out: ProviderTransactionData[],
): FileStatement['period'] {
  let start: CalendarDate | null = null;
  let end: CalendarDate | null = null;
  for (;;) {
    const t = r.next();
    if (t === START) {
      if (r.name === 'STMTTRN') out.push(readStatementTransaction(r, currency, false));
      else r.skip();
    } else if (t === LEAF) {
      if (r.name === 'DTSTART') start = leafDate(r);
      else if (r.name === 'DTEND') end = leafDate(r);
    } else break;
  }
  return start === null && end === null ? null : { start, end };
}

/**
 * BANKTRANLISTP (OFX 2.1 pending transactions). STMTTRNP has no FITID, so each gets an id derived from its content
 * plus its occurrence among identical ones: re-importing the same file gives the same ids, and a pending item that
 * later posts arrives as a different (FITID-keyed) transaction that the storage layer reconciles.
 */
function readPendingList(r: Reader, currency: string, out: ProviderTransactionData[]): void {
  const seen = new Map<string, number>();
  for (;;) {
    const t = r.next();
    if (t === START) {
      if (r.name !== 'STMTTRNP') {
        r.skip();
        continue;
      }
      const txn = readStatementTransaction(r, currency, true);
      const content = [txn.transactionDate, txn.amount, txn.currency, txn.subtype, txn.description, txn.memo];
      const key = JSON.stringify(content);
      const occurrence = (seen.get(key) ?? 0) + 1;
      seen.set(key, occurrence);
      const digest = createHash('sha256').update(`${key}#${occurrence}`).digest('hex');
      txn.providerTransactionId = `pending_${digest.slice(0, 32)}`;
      out.push(txn);
    } else if (t !== LEAF) break;
  }
}

/**
 * STMTTRN (or STMTTRNP when `pending`), START just returned. Fields are kept in locals and the amount is converted
 * at the end, once a per-transaction CURRENCY (which follows TRNAMT) is known.
 *
 * Corrections (OFX 11.4.4.2): CORRECTACTION=DELETE cancels the transaction CORRECTFITID names, so it is emitted
 * under that id with status `cancelled`; REPLACE supersedes it, which `pendingTransactionId` carries.
 */
export function readStatementTransaction(
  r: Reader,
  defaultCurrency: string,
  pending: boolean,
): ProviderTransactionData {
  const tag = r.name;
  const openedAt = r.at;
  let trnType = '';
  let fitId = '';
  let date: CalendarDate | null = null;
  let amountText = '';
  let amountAt = 0;
  let name = '';
  let extendedName = '';
  let payeeName = '';
  let memo = '';
  let checkNumber = '';
  let correctFitId = '';
  let correctAction = '';
  let currency = defaultCurrency;
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      switch (r.name) {
        case 'TRNTYPE':
          trnType = r.value;
          break;
        case 'DTPOSTED':
        case 'DTTRAN':
          date = leafDate(r);
          break;
        case 'TRNAMT':
          amountText = r.value;
          amountAt = r.at;
          break;
        case 'FITID':
          fitId = r.value;
          break;
        case 'NAME':
          name = r.value;
          break;
        case 'EXTDNAME':
          extendedName = r.value;
          break;
        case 'MEMO':
          memo = r.value;
          break;
        case 'CHECKNUM':
          checkNumber = r.value;
          break;
        case 'CORRECTFITID':
          correctFitId = r.value;
          break;
        case 'CORRECTACTION':
          correctAction = r.value.toUpperCase();
          break;
        case 'PAYEE': // a few generators write these aggregates as leaves
          payeeName = r.value;
          break;
        case 'CURRENCY':
          currency = leafCurrency(r);
          break;
      }
      continue;
    }
    if (t !== START) break;
    if (r.name === 'PAYEE') payeeName = readPayeeName(r);
    else if (r.name === 'CURRENCY') currency = readCurSym(r) ?? currency;
    else r.skip(); // ORIGCURRENCY: the amount is already in CURDEF (OFX 5.2)
  }
  if (!pending && !fitId) missing(r, 'FITID', tag, openedAt, false);
  if (date === null) missing(r, pending ? 'DTTRAN' : 'DTPOSTED', tag, openedAt, false);
  if (!amountText) missing(r, 'TRNAMT', tag, openedAt, false);
  const amount = toMinor(r, amountText, currency, 'TRNAMT', amountAt);
  const [transactionType, subtype] =
    TRNTYPES.get(trnType) ?? TRNTYPES.get(trnType.toUpperCase()) ?? UNKNOWN_TRNTYPE;
  const deleted = correctAction === 'DELETE' && correctFitId !== '';
  const status: TransactionStatus = deleted
    ? 'cancelled'
    : pending || trnType === 'HOLD'
      ? 'pending'
      : 'settled';
  return {
    providerTransactionId: deleted ? correctFitId : fitId,
    transactionType,
    subtype,
    status,
    amount,
    currency,
    description: extendedName || name || payeeName || memo || trnType,
    memo: memo || null,
    transactionDate: date,
    settlementDate: null,
    pendingTransactionId: correctAction === 'REPLACE' && correctFitId ? correctFitId : null,
    checkNumber: checkNumber || null,
    symbol: null,
    quantity: null,
    unitPrice: null,
    commission: null,
  };
}

function readPayeeName(r: Reader): string {
  let name = '';
  const depth = r.depth;
  for (;;) {
    const t = r.next();
    if (t === LEAF && r.name === 'NAME' && r.depth === depth) name = r.value;
    else if (t === END && r.depth === depth - 1) return name;
  }
}
