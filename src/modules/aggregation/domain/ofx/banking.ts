import { createHash } from 'node:crypto';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { FileStatement } from '../parsed-file.js';
import type { AccountType, ProviderTransactionData } from '../types.js';
import {
  type AccountFrom,
  accountName,
  BANK_ACCOUNT_TYPES,
  readAccountFrom,
  readBalance,
} from './accounts.js';
import { leafCurrency, leafDate, missing } from './fields.js';
import { LEAF, type Reader, START } from './reader.js';
import { readStatementTransaction } from './statement-transaction.js';
import { maskAccountNumber, providerAccountId } from './values.js';

/** Bank and credit-card statements (OFX 11.4): STMTRS and CCSTMTRS. */

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
