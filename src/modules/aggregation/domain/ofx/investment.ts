import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { FileStatement } from '../file-formats.js';
import type { AccountType, ProviderTransactionData, TransactionType } from '../types.js';
import { accountName, readAccountFrom, readStatementTransaction } from './banking.js';
import { leafCurrency, leafDate, leafDecimal, leafInstant, missing, readCurSym, toMinor } from './fields.js';
import { END, LEAF, type Reader, START } from './reader.js';
import { type RawPosition, readPosition, securityKey } from './securities.js';
import { maskAccountNumber, providerAccountId } from './values.js';

/** Investment statements (OFX 13.9): INVSTMTRS with its transactions, positions and balances. */

/** An investment statement before the security list (which follows the statements in the file) is known. */
export interface InvestmentParts {
  statement: FileStatement;
  positions: RawPosition[];
  /** Transactions whose symbol and description wait for the security list, with their security key. */
  trades: { transaction: ProviderTransactionData; security: string | null }[];
  cash: Minor | null;
}

/** [type, subtype, whether the aggregate carries a TOTAL] per INVTRANLIST element. */
const INVESTMENT_TRANSACTIONS: Record<string, readonly [TransactionType, string, boolean]> = {
  BUYDEBT: ['trade', 'buy', true],
  BUYMF: ['trade', 'buy', true],
  BUYOPT: ['trade', 'buy', true],
  BUYOTHER: ['trade', 'buy', true],
  BUYSTOCK: ['trade', 'buy', true],
  SELLDEBT: ['trade', 'sell', true],
  SELLMF: ['trade', 'sell', true],
  SELLOPT: ['trade', 'sell', true],
  SELLOTHER: ['trade', 'sell', true],
  SELLSTOCK: ['trade', 'sell', true],
  REINVEST: ['trade', 'reinvest', true],
  CLOSUREOPT: ['trade', 'option_closure', false],
  INCOME: ['income', 'income', true],
  RETOFCAP: ['income', 'return_of_capital', true],
  INVEXPENSE: ['fee', 'investment_expense', true],
  MARGININTEREST: ['fee', 'margin_interest', true],
  SPLIT: ['adjustment', 'split', false],
  TRANSFER: ['transfer', 'security_transfer', false],
  JRNLFUND: ['transfer', 'journal_cash', true],
  JRNLSEC: ['transfer', 'journal_security', false],
};

/** Finer subtypes from INCOMETYPE, BUYTYPE/SELLTYPE, OPTBUYTYPE/OPTSELLTYPE and OPTACTION. */
const SUBTYPE_DETAIL: Record<string, string> = {
  DIV: 'dividend',
  INTEREST: 'interest',
  CGLONG: 'capital_gain_long',
  CGSHORT: 'capital_gain_short',
  MISC: 'income',
  BUYTOCOVER: 'buy_to_cover',
  SELLSHORT: 'sell_short',
  BUYTOOPEN: 'buy_to_open',
  BUYTOCLOSE: 'buy_to_close',
  SELLTOOPEN: 'sell_to_open',
  SELLTOCLOSE: 'sell_to_close',
  EXERCISE: 'option_exercise',
  ASSIGN: 'option_assignment',
  EXPIRE: 'option_expiration',
};

export const isInvestmentTransaction = (tag: string): boolean => Object.hasOwn(INVESTMENT_TRANSACTIONS, tag);

/** INVSTMTRS (START just returned). */
export function readInvestmentStatement(r: Reader): InvestmentParts {
  const openedAt = r.at;
  let currency = 'USD';
  let amountsRead = false;
  let asOf: string | null = null;
  let from: ReturnType<typeof readAccountFrom> | null = null;
  let retirement = false;
  let cash: Minor | null = null;
  let period: FileStatement['period'] = null;
  const transactions: ProviderTransactionData[] = [];
  const positions: RawPosition[] = [];
  const trades: InvestmentParts['trades'] = [];
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'DTASOF') asOf = leafInstant(r);
      else if (r.name === 'CURDEF') {
        if (amountsRead) r.fail('<CURDEF> must come before the amounts it applies to');
        currency = leafCurrency(r);
      }
      continue;
    }
    if (t !== START) break;
    switch (r.name) {
      case 'INVACCTFROM':
        from = readAccountFrom(r);
        break;
      case 'INVTRANLIST':
        amountsRead = true;
        period = readInvestmentTransactionList(r, currency, transactions, trades);
        break;
      case 'INVPOSLIST':
        amountsRead = true;
        readPositionList(r, currency, positions);
        break;
      case 'INVBAL':
        amountsRead = true;
        cash = readAvailableCash(r, currency);
        break;
      case 'INV401K':
      case 'INV401KBAL':
        retirement = true;
        r.skip();
        break;
      default:
        r.skip();
    }
  }
  if (!from) missing(r, 'INVACCTFROM', 'INVSTMTRS', openedAt, false);
  const accountType: AccountType = retirement ? 'retirement' : 'brokerage';
  const masked = maskAccountNumber(from.accountId);
  const statement: FileStatement = {
    account: {
      providerAccountId: providerAccountId(['investment', from.bankId, from.accountId, '']),
      accountNumberMasked: masked,
      name: accountName(accountType, masked),
      accountType,
      currency,
      balance: null,
      availableBalance: null,
      cashBalance: cash,
      balanceAsOf: asOf,
      institution: null,
      isActive: true,
    },
    transactions,
    holdings: [],
    period,
  };
  return { statement, positions, trades, cash };
}

function readInvestmentTransactionList(
  r: Reader,
  currency: string,
  out: ProviderTransactionData[],
  trades: InvestmentParts['trades'],
): FileStatement['period'] {
  let start: CalendarDate | null = null;
  let end: CalendarDate | null = null;
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'DTSTART') start = leafDate(r);
      else if (r.name === 'DTEND') end = leafDate(r);
      continue;
    }
    if (t !== START) break;
    if (r.name === 'INVBANKTRAN') out.push(readInvestmentBankTransaction(r, currency));
    else if (isInvestmentTransaction(r.name)) {
      const trade = readInvestmentTransaction(r, currency);
      out.push(trade.transaction);
      trades.push(trade);
    } else r.skip();
  }
  return start === null && end === null ? null : { start, end };
}

/** INVBANKTRAN: a cash movement in the brokerage account, a STMTTRN plus the sub-account it touched. */
function readInvestmentBankTransaction(r: Reader, currency: string): ProviderTransactionData {
  const openedAt = r.at;
  let transaction: ProviderTransactionData | null = null;
  for (;;) {
    const t = r.next();
    if (t === START) {
      if (r.name === 'STMTTRN') transaction = readStatementTransaction(r, currency, false);
      else r.skip();
    } else if (t !== LEAF) break;
  }
  if (!transaction) missing(r, 'STMTTRN', 'INVBANKTRAN', openedAt, false);
  return transaction;
}

/**
 * One security transaction (BUYSTOCK, INCOME, ...; START just returned). Its leaves sit at several depths
 * (BUYSTOCK/INVBUY/INVTRAN/FITID), and each name means one thing within these aggregates, so they are matched by
 * name; only CURSYM needs its parent. TOTAL is signed from the account's side (buys negative), as the normalized
 * convention wants.
 */
function readInvestmentTransaction(
  r: Reader,
  defaultCurrency: string,
): { transaction: ProviderTransactionData; security: string | null } {
  const tag = r.name;
  const openedAt = r.at;
  const depth = r.depth;
  const [transactionType, baseSubtype, hasTotal] = INVESTMENT_TRANSACTIONS[tag]!;
  let fitId = '';
  let tradeDate: CalendarDate | null = null;
  let settleDate: CalendarDate | null = null;
  let memo = '';
  let uniqueId = '';
  let uniqueIdType = '';
  let units: string | null = null;
  let unitPrice: string | null = null;
  let commissionText = '';
  let commissionAt = 0;
  let totalText = '';
  let totalAt = 0;
  let detail = '';
  let currency = defaultCurrency;
  for (;;) {
    const t = r.next();
    if (t === END) {
      if (r.depth < depth) break;
      continue;
    }
    if (t === START) {
      if (r.name === 'CURRENCY') currency = readCurSym(r) ?? currency;
      else if (r.name === 'ORIGCURRENCY') r.skip();
      continue;
    }
    if (t !== LEAF) break;
    switch (r.name) {
      case 'FITID':
        fitId = r.value;
        break;
      case 'DTTRADE':
        tradeDate = leafDate(r);
        break;
      case 'DTSETTLE':
        settleDate = leafDate(r);
        break;
      case 'MEMO':
        memo = r.value;
        break;
      case 'UNIQUEID':
        uniqueId = r.value;
        break;
      case 'UNIQUEIDTYPE':
        uniqueIdType = r.value;
        break;
      case 'UNITS':
        units = leafDecimal(r);
        break;
      case 'UNITPRICE':
        unitPrice = leafDecimal(r);
        break;
      case 'COMMISSION':
        commissionText = r.value;
        commissionAt = r.at;
        break;
      case 'TOTAL':
        totalText = r.value;
        totalAt = r.at;
        break;
      case 'INCOMETYPE':
        if (tag === 'INCOME') detail = r.value.toUpperCase(); // REINVEST stays a reinvestment
        break;
      case 'BUYTYPE':
      case 'SELLTYPE':
      case 'OPTBUYTYPE':
      case 'OPTSELLTYPE':
      case 'OPTACTION':
        detail = r.value.toUpperCase();
        break;
    }
  }
  const path = r.path() ? `${r.path()}/${tag}` : tag;
  if (!fitId) r.fail(`<${tag}> has no <FITID>`, 'FITID', openedAt, path);
  if (tradeDate === null) r.fail(`<${tag}> has no <DTTRADE>`, 'DTTRADE', openedAt, path);
  if (hasTotal && !totalText) r.fail(`<${tag}> has no <TOTAL>`, 'TOTAL', openedAt, path);
  const transaction: ProviderTransactionData = {
    providerTransactionId: fitId,
    transactionType,
    subtype: SUBTYPE_DETAIL[detail] ?? baseSubtype,
    status: 'settled',
    amount: totalText ? toMinor(r, totalText, currency, 'TOTAL', totalAt) : 0,
    currency,
    description: memo, // completed once the security's ticker is known
    memo: memo || null,
    transactionDate: tradeDate,
    settlementDate: settleDate,
    pendingTransactionId: null,
    checkNumber: null,
    symbol: null,
    quantity: units,
    unitPrice,
    commission: commissionText ? toMinor(r, commissionText, currency, 'COMMISSION', commissionAt) : null,
  };
  return { transaction, security: uniqueId ? securityKey(uniqueIdType, uniqueId) : null };
}

function readPositionList(r: Reader, currency: string, out: RawPosition[]): void {
  for (;;) {
    const t = r.next();
    if (t === START) {
      if (r.name.startsWith('POS')) out.push(readPosition(r, currency));
      else r.skip();
    } else if (t !== LEAF) break;
  }
}

function readAvailableCash(r: Reader, currency: string): Minor | null {
  let cash: Minor | null = null;
  for (;;) {
    const t = r.next();
    if (t === LEAF) {
      if (r.name === 'AVAILCASH') cash = toMinor(r, r.value, currency, 'AVAILCASH', r.at);
    } else if (t === START) r.skip();
    else break;
  }
  return cash;
}
