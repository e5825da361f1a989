import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { FileStatement } from '../parsed-file.js';
import type { AccountType, ProviderTransactionData } from '../types.js';
import { accountName, readAccountFrom } from './accounts.js';
import { leafCurrency, leafDate, leafInstant, missing, optionalMinor } from './fields.js';
import { isInvestmentTransaction, readInvestmentTransaction } from './investment-transaction.js';
import { LEAF, type Reader, START } from './reader.js';
import { type RawPosition, readPosition } from './securities.js';
import { readStatementTransaction } from './statement-transaction.js';
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
      if (r.name === 'AVAILCASH') cash = optionalMinor(r, r.value, currency, 'AVAILCASH', r.at);
    } else if (t === START) r.skip();
    else break;
  }
  return cash;
}
