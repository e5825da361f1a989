import type { CalendarDate } from '../../../../kernel/dates.js';
import type { ProviderTransactionData, TransactionStatus, TransactionType } from '../types.js';
import { leafCurrency, leafDate, missing, readCurSym, toMinor } from './fields.js';
import { END, LEAF, type Reader, START } from './reader.js';

/** STMTTRN (OFX 11.4.4), the transaction of bank, card and investment cash statements. */

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
