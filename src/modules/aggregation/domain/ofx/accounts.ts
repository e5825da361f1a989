import type { Minor } from '../../../../kernel/money.js';
import type { AccountType } from '../types.js';
import { leafInstant, missing, optionalMinor } from './fields.js';
import { LEAF, type Reader, START } from './reader.js';

/** Account identification (…ACCTFROM) and balance aggregates shared by every statement kind. */

export const BANK_ACCOUNT_TYPES: Record<string, AccountType> = {
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

export interface AccountFrom {
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

/**
 * A balance aggregate (LEDGERBAL, AVAILBAL): BALAMT in minor units and DTASOF as an instant. A balance without an
 * amount (BALAMT blank or absent) is an unknown balance, as if the aggregate were not there: null.
 */
export function readBalance(r: Reader, currency: string): { amount: Minor; asOf: string | null } | null {
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
  const amount = optionalMinor(r, text, currency, 'BALAMT', at);
  return amount === null ? null : { amount, asOf };
}
