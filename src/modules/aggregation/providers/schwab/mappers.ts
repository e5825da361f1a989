import { Decimal } from 'decimal.js';
import {
  asRecord,
  at,
  calendarDate,
  decimal,
  idText,
  type Json,
  type Mapped,
  mapRecords,
  maskAccountNumber,
  optionalDate,
  optionalDecimal,
  optionalMinor,
  optionalText,
  RecordError,
  text,
  toMinor,
} from '../../domain/mapping.js';
import type {
  AccountType,
  AssetType,
  ProviderAccountData,
  ProviderHoldingData,
  ProviderTransactionData,
  TransactionStatus,
  TransactionType,
} from '../../domain/types.js';

/**
 * Schwab Trader API payloads → normalized accounts, holdings and transactions. Schwab sends amounts as JSON
 * numbers in USD, timestamps as `2024-05-07T13:30:01+0000`, and its trading day is New York's.
 *
 * Transactions: `netAmount` is already signed from the account holder's side (a buy is negative, a dividend
 * positive), which is Plinth's convention. A trade carries its security in one transfer item (`amount` is the
 * signed quantity, `price` the unit price) and its costs in CURRENCY_USD items with a `feeType`.
 */

export const SCHWAB_TIME_ZONE = 'America/New_York';
const USD = 'USD';
const INSTITUTION = { name: 'Charles Schwab', id: 'schwab' };

/** An account from `GET /accounts`, joined with the `hashValue` that every per-account call needs. */
export interface SchwabAccountPayload {
  hashValue: string | null;
  account: unknown;
}

const ACCOUNT_TYPES: Record<string, AccountType> = { CASH: 'brokerage', MARGIN: 'brokerage' };
// The Trader API documents CASH and MARGIN only; retirement accounts come as CASH. These names are accepted
// in case Schwab starts to say more.
const RETIREMENT = /IRA|401K|403B|RETIREMENT|PENSION/;

function safeId(path: string) {
  return (raw: unknown): string | null => {
    try {
      return idText(asRecord(raw, 'record'), path);
    } catch {
      return null;
    }
  };
}

export function mapSchwabAccounts(payloads: readonly SchwabAccountPayload[]): Mapped<ProviderAccountData> {
  return mapRecords(
    payloads,
    (p) => (p as SchwabAccountPayload).hashValue ?? null,
    (p) => {
      const hashValue = p.hashValue;
      if (typeof hashValue !== 'string' || !hashValue) throw new RecordError('no hashValue for this account');
      return mapSchwabAccount(asRecord(p.account, 'account'), hashValue);
    },
  );
}

export function mapSchwabAccount(raw: Json, hashValue: string): ProviderAccountData {
  const acct = asRecord(at(raw, 'securitiesAccount'), 'securitiesAccount');
  const type = text(acct, 'type').toUpperCase();
  const number = text(acct, 'accountNumber');
  const accountType = ACCOUNT_TYPES[type] ?? (RETIREMENT.test(type) ? 'retirement' : 'other');
  const masked = maskAccountNumber(number);
  const balance = (key: string) => optionalMinor(acct, `currentBalances.${key}`, USD);
  return {
    // The hash, not the number: it is what Schwab accepts in URLs, and the full number is never stored.
    providerAccountId: hashValue,
    accountNumberMasked: masked,
    name: `Schwab ${type.charAt(0)}${type.slice(1).toLowerCase()} ${masked}`,
    accountType,
    currency: USD,
    balance: balance('liquidationValue') ?? optionalMinor(acct, 'initialBalances.liquidationValue', USD),
    // Margin accounts report availableFunds; cash accounts cashAvailableForTrading.
    availableBalance: balance('availableFunds') ?? balance('cashAvailableForTrading'),
    cashBalance: balance('cashBalance') ?? balance('totalCash'),
    balanceAsOf: null,
    institution: INSTITUTION,
    isActive: true,
  };
}

const ASSET_TYPES: Record<string, AssetType> = {
  EQUITY: 'equity',
  OPTION: 'option',
  MUTUAL_FUND: 'mutual_fund',
  FIXED_INCOME: 'fixed_income',
  CASH_EQUIVALENT: 'cash_equivalent',
};

function assetType(instrument: Json): AssetType {
  const t = optionalText(instrument, 'assetType')?.toUpperCase() ?? '';
  if (t === 'COLLECTIVE_INVESTMENT')
    return optionalText(instrument, 'type') === 'EXCHANGE_TRADED_FUND' ? 'etf' : 'mutual_fund';
  return ASSET_TYPES[t] ?? 'other';
}

/** Positions from `GET /accounts/{hash}?fields=positions` (`securitiesAccount.positions`). */
export function mapSchwabPositions(positions: readonly unknown[]): Mapped<ProviderHoldingData> {
  return mapRecords(positions, safeId('instrument.symbol'), (p) => {
    const instrument = asRecord(at(p, 'instrument'), 'instrument');
    const symbol = text(p, 'instrument.symbol');
    const long = new Decimal(optionalDecimal(p, 'longQuantity') ?? '0');
    const short = new Decimal(optionalDecimal(p, 'shortQuantity') ?? '0');
    const quantity = long.minus(short);
    if (quantity.isZero()) throw new RecordError('closed position (quantity 0)');
    const marketValue = optionalDecimal(p, 'marketValue');
    // Schwab reports open P/L rather than cost; cost = market value − open P/L, in the vendor's own figures
    // (this also gets option multipliers right without knowing them).
    const openPl = optionalDecimal(p, quantity.isPositive() ? 'longOpenProfitLoss' : 'shortOpenProfitLoss');
    const cost =
      marketValue !== null && openPl !== null ? new Decimal(marketValue).minus(openPl).toFixed() : null;
    return {
      providerHoldingId: symbol,
      symbol,
      securityName: optionalText(instrument, 'description') ?? symbol,
      assetType: assetType(instrument),
      quantity: quantity.toFixed(),
      costBasis: cost === null ? null : toMinor(cost, USD, 'costBasis'),
      marketValue: marketValue === null ? null : toMinor(marketValue, USD, 'marketValue'),
      currency: USD,
      averagePrice: optionalDecimal(p, 'averagePrice'),
      currentPrice: null,
      asOf: null,
    };
  });
}

const STATUSES: Record<string, TransactionStatus> = {
  VALID: 'settled',
  PENDING: 'pending',
  INVALID: 'cancelled',
};

type Classify = (
  security: { quantity: Decimal; opening: boolean } | null,
  net: Decimal,
) => [TransactionType, string];

const CLASSIFY: Record<string, Classify> = {
  TRADE: (s) => {
    if (!s) throw new RecordError('trade without a security transfer item');
    if (s.quantity.isPositive()) return ['trade', s.opening ? 'buy' : 'buy_to_cover'];
    return ['trade', s.opening ? 'sell_short' : 'sell'];
  },
  RECEIVE_AND_DELIVER: (s) => ['transfer', s?.quantity.isNegative() ? 'security_out' : 'security_in'],
  DIVIDEND_OR_INTEREST: (s) => ['income', s ? 'dividend' : 'interest'],
  ACH_RECEIPT: () => ['transfer', 'deposit'],
  ACH_DISBURSEMENT: () => ['transfer', 'withdrawal'],
  CASH_RECEIPT: () => ['transfer', 'deposit'],
  CASH_DISBURSEMENT: () => ['transfer', 'withdrawal'],
  ELECTRONIC_FUND: (_s, net) => ['transfer', net.isNegative() ? 'withdrawal' : 'deposit'],
  WIRE_IN: () => ['transfer', 'wire_in'],
  WIRE_OUT: () => ['transfer', 'wire_out'],
  JOURNAL: () => ['transfer', 'journal'],
  MONEY_MARKET: () => ['transfer', 'money_market'],
  MEMORANDUM: () => ['other', 'memorandum'],
  MARGIN_CALL: () => ['other', 'margin_call'],
  SMA_ADJUSTMENT: () => ['adjustment', 'sma_adjustment'],
};

const isCurrency = (item: Json) => optionalText(item, 'instrument.assetType') === 'CURRENCY';

export function mapSchwabTransactions(transactions: readonly unknown[]): Mapped<ProviderTransactionData> {
  return mapRecords(transactions, safeId('activityId'), (t) => {
    const id = idText(t, 'activityId');
    const type = text(t, 'type').toUpperCase();
    const statusText = text(t, 'status').toUpperCase();
    const status = STATUSES[statusText];
    if (!status) throw new RecordError(`status ${statusText} is not one Plinth maps`);
    const net = decimal(t, 'netAmount');
    const itemsRaw = at(t, 'transferItems') ?? [];
    if (!Array.isArray(itemsRaw)) throw new RecordError('transferItems is not a list');
    const items = itemsRaw.map((i, n) => asRecord(i, `transferItems.${n}`));
    const fees = items.filter((i) => optionalText(i, 'feeType') !== null);
    const securityItem = items.find((i) => optionalText(i, 'feeType') === null && !isCurrency(i)) ?? null;
    const security = securityItem && {
      item: securityItem,
      quantity: new Decimal(decimal(securityItem, 'amount')),
      opening: optionalText(securityItem, 'positionEffect') !== 'CLOSING',
    };
    const [transactionType, subtype] = (CLASSIFY[type] ?? (() => ['other', type.toLowerCase()]))(
      security,
      new Decimal(net),
    );
    const isTrade = transactionType === 'trade';
    // A fee leg carries the fee as a negative `cost`; without a cost, its `amount` is the fee.
    const feeTotal = fees.reduce((sum, f) => {
      const cost = optionalDecimal(f, 'cost');
      return sum.plus(cost !== null ? new Decimal(cost).neg() : decimal(f, 'amount').replace(/^-/, ''));
    }, new Decimal(0));
    const description =
      optionalText(t, 'description') ??
      (security ? optionalText(security.item, 'instrument.description') : null) ??
      type;
    return {
      providerTransactionId: id,
      transactionType,
      subtype,
      status,
      amount: toMinor(net, USD, 'netAmount'),
      currency: USD,
      description,
      memo: null,
      transactionDate:
        optionalDate(t, 'tradeDate', SCHWAB_TIME_ZONE) ?? calendarDate(t, 'time', SCHWAB_TIME_ZONE),
      settlementDate: optionalDate(t, 'settlementDate', SCHWAB_TIME_ZONE),
      pendingTransactionId: null,
      checkNumber: null,
      symbol: security ? optionalText(security.item, 'instrument.symbol') : null,
      quantity: security && !security.quantity.isZero() ? security.quantity.abs().toFixed() : null,
      unitPrice: isTrade && security ? optionalDecimal(security.item, 'price') : null,
      commission: isTrade ? toMinor(feeTotal.toFixed(), USD, 'fees') : null,
    };
  });
}
