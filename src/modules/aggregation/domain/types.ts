import type { CalendarDate } from '../../../kernel/dates.js';
import type { Minor } from '../../../kernel/money.js';

/**
 * What every financial-data source (an API provider or an imported file) is normalized into before storage.
 *
 * Sign convention for amounts: from the account holder's point of view. Money into the account is positive
 * (deposit, refund, sale proceeds, a credit-card payment), money out is negative (purchase, fee, withdrawal).
 * Balances: a credit card or loan balance owed is negative.
 */
export const ACCOUNT_TYPES = [
  'checking',
  'savings',
  'money_market',
  'certificate_of_deposit',
  'credit_card',
  'line_of_credit',
  'brokerage',
  'retirement',
  'other',
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export interface ProviderAccountData {
  providerAccountId: string;
  /** Last four only, e.g. `****1234`. The full number is never stored. */
  accountNumberMasked: string | null;
  name: string;
  accountType: AccountType;
  currency: string;
  /** Ledger balance in minor units, when the source gives one. */
  balance: Minor | null;
  availableBalance: Minor | null;
  /** Cash component (brokerage accounts). */
  cashBalance: Minor | null;
  /** When the source says the balance was true. */
  balanceAsOf: string | null;
  institution: { name: string | null; id: string | null } | null;
  isActive: boolean;
}

export const TRANSACTION_STATUSES = ['pending', 'settled', 'failed', 'cancelled'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** Two-level classification, as the seed describes: a high-level type and a specific subtype. */
export const TRANSACTION_TYPES = [
  'trade',
  'transfer',
  'income',
  'fee',
  'payment',
  'purchase',
  'adjustment',
  'other',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export interface ProviderTransactionData {
  providerTransactionId: string;
  transactionType: TransactionType;
  /** e.g. buy, sell, dividend, interest, deposit, withdrawal, debit, credit, check, atm, pos, account_fee. */
  subtype: string;
  status: TransactionStatus;
  amount: Minor;
  currency: string;
  description: string;
  memo: string | null;
  transactionDate: CalendarDate;
  settlementDate: CalendarDate | null;
  /** For a posted transaction that replaces a pending one, the pending one's provider id, when the source says. */
  pendingTransactionId: string | null;
  checkNumber: string | null;
  /** Trades: decimal strings, never floats. */
  symbol: string | null;
  quantity: string | null;
  unitPrice: string | null;
  commission: Minor | null;
}

export const ASSET_TYPES = [
  'equity',
  'etf',
  'mutual_fund',
  'option',
  'fixed_income',
  'cash_equivalent',
  'cryptocurrency',
  'other',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export interface ProviderHoldingData {
  /** Stable within the account across syncs (e.g. symbol or CUSIP based). */
  providerHoldingId: string;
  symbol: string;
  securityName: string;
  assetType: AssetType;
  /** Decimal string. */
  quantity: string;
  costBasis: Minor | null;
  marketValue: Minor | null;
  currency: string;
  averagePrice: string | null;
  currentPrice: string | null;
  asOf: string | null;
}

/** One account's worth of data from a single fetch or file. */
export interface AccountStatement {
  account: ProviderAccountData;
  transactions: ProviderTransactionData[];
  holdings: ProviderHoldingData[];
}
