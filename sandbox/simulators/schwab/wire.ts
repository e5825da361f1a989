import { Decimal } from 'decimal.js';

/**
 * Builders for Schwab Trader API payloads, shaped like the vendor's responses: the OpenAPI document Schwab
 * publishes for the Trader API (Account, SecuritiesAccount, Position, Transaction, TransferItem) and responses
 * recorded by its users (fee legs as CURRENCY_USD transfer items, timestamps as `2024-05-07T13:30:01+0000`).
 * Amounts are JSON numbers, as Schwab sends them.
 */

export type SchwabTransactionType =
  | 'TRADE'
  | 'RECEIVE_AND_DELIVER'
  | 'DIVIDEND_OR_INTEREST'
  | 'ACH_RECEIPT'
  | 'ACH_DISBURSEMENT'
  | 'CASH_RECEIPT'
  | 'CASH_DISBURSEMENT'
  | 'ELECTRONIC_FUND'
  | 'WIRE_OUT'
  | 'WIRE_IN'
  | 'JOURNAL'
  | 'MEMORANDUM'
  | 'MARGIN_CALL'
  | 'MONEY_MARKET'
  | 'SMA_ADJUSTMENT';

export const SCHWAB_TRANSACTION_TYPES: readonly SchwabTransactionType[] = [
  'TRADE',
  'RECEIVE_AND_DELIVER',
  'DIVIDEND_OR_INTEREST',
  'ACH_RECEIPT',
  'ACH_DISBURSEMENT',
  'CASH_RECEIPT',
  'CASH_DISBURSEMENT',
  'ELECTRONIC_FUND',
  'WIRE_OUT',
  'WIRE_IN',
  'JOURNAL',
  'MEMORANDUM',
  'MARGIN_CALL',
  'MONEY_MARKET',
  'SMA_ADJUSTMENT',
];

export interface SchwabSimTransaction {
  activityId: number;
  /** Schwab's format, e.g. `2025-01-10T14:31:07+0000`. */
  time: string;
  type: SchwabTransactionType;
  [field: string]: unknown;
}

export interface SchwabSimAccount {
  accountNumber: string;
  type: 'CASH' | 'MARGIN';
  currentBalances: Record<string, number>;
  initialBalances: Record<string, number>;
  positions: Record<string, unknown>[];
  transactions: SchwabSimTransaction[];
}

const num = (d: Decimal.Value) => new Decimal(d).toDecimalPlaces(2).toNumber();

/** ISO instant → Schwab's `+0000` timestamp. */
export function schwabTime(iso: string | Date): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

const USD = {
  assetType: 'CURRENCY',
  status: 'ACTIVE',
  symbol: 'CURRENCY_USD',
  description: 'USD currency',
  instrumentId: 1,
  closingPrice: 0,
};

export interface InstrumentSpec {
  symbol: string;
  cusip: string;
  description: string;
  assetType?:
    | 'EQUITY'
    | 'OPTION'
    | 'MUTUAL_FUND'
    | 'FIXED_INCOME'
    | 'CASH_EQUIVALENT'
    | 'COLLECTIVE_INVESTMENT';
  /** The instrument's sub-type, e.g. COMMON_STOCK, EXCHANGE_TRADED_FUND, VANILLA. */
  type?: string;
  instrumentId?: number;
}

// Schwab's instrument ids are opaque integers; derive a stable one from the symbol.
const stableId = (symbol: string) =>
  [...symbol].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000_007, 7);

function instrument(spec: InstrumentSpec) {
  return {
    assetType: spec.assetType ?? 'EQUITY',
    status: 'ACTIVE',
    symbol: spec.symbol,
    cusip: spec.cusip,
    description: spec.description,
    instrumentId: spec.instrumentId ?? stableId(spec.symbol),
    type: spec.type ?? 'COMMON_STOCK',
  };
}

const feeLeg = (feeType: string, amount: Decimal.Value) => ({
  instrument: USD,
  amount: num(amount),
  cost: num(new Decimal(amount).neg()),
  feeType,
});

/** The settlement instant Schwab reports: the settlement date at midnight New York time. */
function settlementOf(at: string, days: number): string {
  const d = new Date(at);
  d.setUTCDate(d.getUTCDate() + days);
  return schwabTime(`${d.toISOString().slice(0, 10)}T04:00:00Z`);
}

export interface TradeSpec {
  activityId: number;
  accountNumber: string;
  /** ISO instant of the execution. */
  at: string;
  instrument: InstrumentSpec;
  /** Signed: positive buys, negative sells. */
  quantity: number;
  price: string;
  commission?: string;
  /** Regulatory fees by Schwab fee type, e.g. { SEC_FEE: '0.02', TAF_FEE: '0.01' }. */
  fees?: Record<string, string>;
  positionEffect?: 'OPENING' | 'CLOSING';
  /** Contract multiplier (100 for equity options). */
  multiplier?: number;
  status?: 'VALID' | 'PENDING' | 'INVALID';
  subAccount?: 'CASH' | 'MARGIN';
}

export function trade(spec: TradeSpec): SchwabSimTransaction {
  const gross = new Decimal(spec.quantity).times(spec.price).times(spec.multiplier ?? 1);
  const commission = new Decimal(spec.commission ?? '0');
  const fees = Object.entries(spec.fees ?? {});
  const feeTotal = fees.reduce((s, [, v]) => s.plus(v), commission);
  const time = schwabTime(spec.at);
  return {
    activityId: spec.activityId,
    time,
    accountNumber: spec.accountNumber,
    type: 'TRADE',
    status: spec.status ?? 'VALID',
    subAccount: spec.subAccount ?? 'CASH',
    tradeDate: time,
    settlementDate: settlementOf(spec.at, 1),
    positionId: spec.activityId + 7_000_000,
    orderId: spec.activityId + 1_000_000_000_000,
    netAmount: num(gross.neg().minus(feeTotal)),
    activityType: 'EXECUTION',
    transferItems: [
      feeLeg('COMMISSION', commission),
      ...fees.map(([type, amount]) => feeLeg(type, amount)),
      {
        instrument: instrument(spec.instrument),
        amount: spec.quantity,
        cost: num(gross.neg()),
        price: Number(spec.price),
        positionEffect: spec.positionEffect ?? (spec.quantity > 0 ? 'OPENING' : 'CLOSING'),
      },
    ],
  };
}

export interface CashSpec {
  activityId: number;
  accountNumber: string;
  at: string;
  type: Exclude<SchwabTransactionType, 'TRADE' | 'RECEIVE_AND_DELIVER'>;
  /** Signed, from the account holder's side: deposits positive, withdrawals negative. */
  amount: string;
  description: string;
  /** The security a dividend was paid on; omitted for interest and cash movements. */
  instrument?: InstrumentSpec;
  status?: 'VALID' | 'PENDING' | 'INVALID';
}

export function cashMovement(spec: CashSpec): SchwabSimTransaction {
  const time = schwabTime(spec.at);
  const amount = num(spec.amount);
  return {
    activityId: spec.activityId,
    time,
    accountNumber: spec.accountNumber,
    type: spec.type,
    status: spec.status ?? 'VALID',
    subAccount: 'CASH',
    tradeDate: schwabTime(`${spec.at.slice(0, 10)}T04:00:00Z`),
    settlementDate: schwabTime(`${spec.at.slice(0, 10)}T04:00:00Z`),
    netAmount: amount,
    activityType: 'TRANSFER',
    description: spec.description,
    transferItems: [
      spec.instrument
        ? { instrument: instrument(spec.instrument), amount: 0, cost: 0 }
        : { instrument: USD, amount, cost: amount },
    ],
  };
}

export interface PositionSpec {
  instrument: InstrumentSpec;
  /** Signed: negative for a short position. */
  quantity: number;
  averagePrice: string;
  lastPrice: string;
  multiplier?: number;
}

export function position(spec: PositionSpec): Record<string, unknown> {
  const m = spec.multiplier ?? 1;
  const qty = new Decimal(spec.quantity);
  const marketValue = qty.times(spec.lastPrice).times(m);
  const cost = qty.times(spec.averagePrice).times(m);
  const long = qty.isPositive();
  return {
    shortQuantity: long ? 0 : qty.abs().toNumber(),
    averagePrice: Number(spec.averagePrice),
    currentDayProfitLoss: 0,
    currentDayProfitLossPercentage: 0,
    longQuantity: long ? qty.toNumber() : 0,
    settledLongQuantity: long ? qty.toNumber() : 0,
    settledShortQuantity: long ? 0 : qty.abs().toNumber(),
    instrument: { ...instrument(spec.instrument), netChange: 0 },
    marketValue: num(marketValue),
    maintenanceRequirement: num(marketValue.abs().times('0.25')),
    averageLongPrice: long ? Number(spec.averagePrice) : 0,
    averageShortPrice: long ? 0 : Number(spec.averagePrice),
    taxLotAverageLongPrice: long ? Number(spec.averagePrice) : 0,
    longOpenProfitLoss: long ? num(marketValue.minus(cost)) : 0,
    shortOpenProfitLoss: long ? 0 : num(marketValue.minus(cost)),
    previousSessionLongQuantity: long ? qty.toNumber() : 0,
    currentDayCost: 0,
  };
}
