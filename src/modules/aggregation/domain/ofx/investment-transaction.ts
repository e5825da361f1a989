import type { CalendarDate } from '../../../../kernel/dates.js';
import type { ProviderTransactionData, TransactionType } from '../types.js';
import { leafDate, optionalDecimal, optionalMinor, readCurSym, toMinor } from './fields.js';
import { END, LEAF, type Reader, START } from './reader.js';
import { securityKey } from './securities.js';

/** Security transactions in INVTRANLIST (OFX 13.9.2.4): buys, sells, income, reinvestments, splits, ... */

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

/**
 * One security transaction (BUYSTOCK, INCOME, ...; START just returned). Its leaves sit at several depths
 * (BUYSTOCK/INVBUY/INVTRAN/FITID), and each name means one thing within these aggregates, so they are matched by
 * name; only CURSYM needs its parent. TOTAL is signed from the account's side (buys negative), as the normalized
 * convention wants.
 */
export function readInvestmentTransaction(
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
        units = optionalDecimal(r);
        break;
      case 'UNITPRICE':
        unitPrice = optionalDecimal(r);
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
    commission: optionalMinor(r, commissionText, currency, 'COMMISSION', commissionAt),
  };
  return { transaction, security: uniqueId ? securityKey(uniqueIdType, uniqueId) : null };
}
