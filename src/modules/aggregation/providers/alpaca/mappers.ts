import { Decimal } from 'decimal.js';
import { isCurrencyCode } from '../../../../kernel/money.js';
import {
  asRecord,
  calendarDate,
  decimal,
  type Json,
  type Mapped,
  mapRecords,
  maskAccountNumber,
  optionalDecimal,
  optionalMinor,
  optionalText,
  RecordError,
  text,
  toMinor,
} from '../../domain/mapping.js';
import type {
  AssetType,
  ProviderAccountData,
  ProviderHoldingData,
  ProviderTransactionData,
  TransactionStatus,
  TransactionType,
} from '../../domain/types.js';

/**
 * Alpaca Trading API payloads → normalized data. Alpaca sends every number as a decimal string and trades on
 * New York's calendar. An API key sees exactly one account.
 *
 * Fills (`FILL`) carry price, quantity and side but no cash amount: the amount is price × quantity, negative
 * for a buy. Alpaca books fees as separate `FEE` activities, so a fill has no commission. Non-trade activities
 * carry `net_amount` already signed from the account holder's side.
 */

export const ALPACA_TIME_ZONE = 'America/New_York';
const USD = 'USD';
const INSTITUTION = { name: 'Alpaca Securities', id: 'alpaca' };

const safeText = (path: string) => (raw: unknown) => {
  try {
    return optionalText(asRecord(raw, 'record'), path);
  } catch {
    return null;
  }
};

export function mapAlpacaAccount(raw: unknown): Mapped<ProviderAccountData> {
  return mapRecords([raw], safeText('id'), (a) => {
    const currency = text(a, 'currency');
    if (!isCurrencyCode(currency)) throw new RecordError('currency is not an ISO 4217 code');
    const masked = maskAccountNumber(text(a, 'account_number'));
    return {
      providerAccountId: text(a, 'id'),
      accountNumberMasked: masked,
      name: `Alpaca ${masked}`,
      accountType: 'brokerage',
      currency,
      balance: optionalMinor(a, 'equity', currency),
      // Cash that can buy without margin: the closest Alpaca has to an available balance.
      availableBalance: optionalMinor(a, 'non_marginable_buying_power', currency),
      cashBalance: optionalMinor(a, 'cash', currency),
      balanceAsOf: null,
      institution: INSTITUTION,
      isActive: text(a, 'status') === 'ACTIVE' && a.account_blocked !== true,
    };
  });
}

const ASSET_CLASSES: Record<string, AssetType> = {
  us_equity: 'equity',
  us_option: 'option',
  crypto: 'cryptocurrency',
};

export function mapAlpacaPositions(positions: readonly unknown[]): Mapped<ProviderHoldingData> {
  return mapRecords(positions, safeText('symbol'), (p) => {
    const symbol = text(p, 'symbol');
    let quantity = new Decimal(decimal(p, 'qty'));
    if (quantity.isZero()) throw new RecordError('closed position (quantity 0)');
    if (optionalText(p, 'side') === 'short' && quantity.isPositive()) quantity = quantity.neg();
    return {
      // The asset id survives symbol changes; the symbol is the fallback.
      providerHoldingId: optionalText(p, 'asset_id') ?? symbol,
      symbol,
      securityName: symbol,
      assetType: ASSET_CLASSES[optionalText(p, 'asset_class') ?? ''] ?? 'other',
      quantity: quantity.toFixed(),
      costBasis: optionalMinor(p, 'cost_basis', USD),
      marketValue: optionalMinor(p, 'market_value', USD),
      currency: USD,
      averagePrice: optionalDecimal(p, 'avg_entry_price'),
      currentPrice: optionalDecimal(p, 'current_price'),
      asOf: null,
    };
  });
}

const NON_TRADE: Record<string, [TransactionType, string]> = {
  CSD: ['transfer', 'deposit'],
  CSW: ['transfer', 'withdrawal'],
  JNL: ['transfer', 'journal'],
  JNLC: ['transfer', 'journal'],
  JNLS: ['transfer', 'journal_securities'],
  ACATC: ['transfer', 'acats_cash'],
  ACATS: ['transfer', 'acats_securities'],
  DIV: ['income', 'dividend'],
  DIVCGL: ['income', 'capital_gain_long'],
  DIVCGS: ['income', 'capital_gain_short'],
  DIVROC: ['income', 'return_of_capital'],
  DIVTXEX: ['income', 'dividend_tax_exempt'],
  DIVFT: ['income', 'dividend_tax_withheld'],
  DIVNRA: ['income', 'dividend_tax_withheld'],
  DIVTW: ['income', 'dividend_tax_withheld'],
  DIVFEE: ['fee', 'dividend_fee'],
  INT: ['income', 'interest'],
  INTNRA: ['income', 'interest_tax_withheld'],
  INTTW: ['income', 'interest_tax_withheld'],
  FEE: ['fee', 'fee'],
  CFEE: ['fee', 'crypto_fee'],
  PTC: ['fee', 'pass_thru_charge'],
  PTR: ['income', 'pass_thru_rebate'],
  MA: ['adjustment', 'merger_acquisition'],
  NC: ['adjustment', 'name_change'],
  SC: ['adjustment', 'symbol_change'],
  SSO: ['adjustment', 'spinoff'],
  SSP: ['adjustment', 'split'],
  REORG: ['adjustment', 'reorganization'],
  OPASN: ['adjustment', 'option_assignment'],
  OPEXP: ['adjustment', 'option_expiration'],
  OPXRC: ['adjustment', 'option_exercise'],
  MISC: ['other', 'misc'],
};

// `status` is absent for many activity types; absent means it happened.
const STATUSES: Record<string, TransactionStatus> = {
  executed: 'settled',
  correct: 'settled',
  canceled: 'cancelled',
  pending: 'pending',
};

const SIDES: Record<string, string> = { buy: 'buy', sell: 'sell', sell_short: 'sell_short' };

function mapFill(a: Json): ProviderTransactionData {
  const side = text(a, 'side');
  const subtype = SIDES[side];
  if (!subtype) throw new RecordError(`side ${side} is not one Plinth maps`);
  const qty = decimal(a, 'qty');
  const price = decimal(a, 'price');
  const symbol = text(a, 'symbol');
  const gross = new Decimal(qty).abs().times(price);
  return {
    providerTransactionId: text(a, 'id'),
    transactionType: 'trade',
    subtype,
    status: 'settled',
    amount: toMinor((side === 'buy' ? gross.neg() : gross).toFixed(), USD, 'price × qty'),
    currency: USD,
    description: `${side.toUpperCase()} ${qty} ${symbol} @ ${price}`,
    memo: null,
    transactionDate: calendarDate(a, 'transaction_time', ALPACA_TIME_ZONE),
    settlementDate: null,
    pendingTransactionId: null,
    checkNumber: null,
    symbol,
    quantity: new Decimal(qty).abs().toFixed(),
    unitPrice: price,
    commission: null,
  };
}

function mapNonTrade(a: Json, type: string): ProviderTransactionData {
  const statusText = optionalText(a, 'status');
  const status = statusText === null ? 'settled' : STATUSES[statusText];
  if (!status) throw new RecordError(`status ${statusText} is not one Plinth maps`);
  const net = decimal(a, 'net_amount');
  const [transactionType, subtype] =
    type === 'TRANS'
      ? (['transfer', net.startsWith('-') ? 'withdrawal' : 'deposit'] as const)
      : (NON_TRADE[type] ?? ['other', type.toLowerCase()]);
  const qty = optionalDecimal(a, 'qty');
  return {
    providerTransactionId: text(a, 'id'),
    transactionType,
    subtype,
    status,
    amount: toMinor(net, USD, 'net_amount'),
    currency: USD,
    description: optionalText(a, 'description') ?? type,
    memo: null,
    transactionDate: calendarDate(a, 'date', ALPACA_TIME_ZONE),
    settlementDate: null,
    pendingTransactionId: null,
    checkNumber: null,
    symbol: optionalText(a, 'symbol'),
    quantity: qty === null ? null : new Decimal(qty).abs().toFixed(),
    unitPrice: optionalDecimal(a, 'per_share_amount'),
    commission: null,
  };
}

export function mapAlpacaActivities(activities: readonly unknown[]): Mapped<ProviderTransactionData> {
  return mapRecords(activities, safeText('id'), (a) => {
    const type = text(a, 'activity_type').toUpperCase();
    return type === 'FILL' ? mapFill(a) : mapNonTrade(a, type);
  });
}
