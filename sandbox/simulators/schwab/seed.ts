import { Decimal } from 'decimal.js';
import {
  cashMovement,
  type InstrumentSpec,
  position,
  type SchwabSimAccount,
  type SchwabSimTransaction,
  trade,
} from './wire.js';

/**
 * Two linked accounts with nine months of 2025 activity: a margin account that trades equities, an ETF and an
 * option, and a cash (IRA-style) account. Balances are derived from the activity and the positions, so they add
 * up the way a real statement does. A fresh copy each call: tests mutate it.
 */

const AAPL: InstrumentSpec = { symbol: 'AAPL', cusip: '037833100', description: 'APPLE INC' };
const MSFT: InstrumentSpec = { symbol: 'MSFT', cusip: '594918104', description: 'MICROSOFT CORP' };
const SCHD: InstrumentSpec = {
  symbol: 'SCHD',
  cusip: '808524797',
  description: 'SCHWAB US DIVIDEND EQUITY ETF',
  assetType: 'COLLECTIVE_INVESTMENT',
  type: 'EXCHANGE_TRADED_FUND',
};
const VTI: InstrumentSpec = {
  symbol: 'VTI',
  cusip: '922908769',
  description: 'VANGUARD TOTAL STOCK MARKET ETF',
  assetType: 'COLLECTIVE_INVESTMENT',
  type: 'EXCHANGE_TRADED_FUND',
};
const SWVXX: InstrumentSpec = {
  symbol: 'SWVXX',
  cusip: '808515878',
  description: 'SCHWAB VALUE ADVANTAGE MONEY FUND',
  assetType: 'CASH_EQUIVALENT',
  type: 'MONEY_MARKET_FUND',
};
const AAPL_CALL: InstrumentSpec = {
  symbol: 'AAPL  250620C00200000',
  cusip: '0AAPL.FK50200000',
  description: 'APPLE INC 06/20/2025 $200 Call',
  assetType: 'OPTION',
  type: 'VANILLA',
};

export const SEED_MARGIN_ACCOUNT = '28135467';
export const SEED_CASH_ACCOUNT = '48291573';

function balances(
  type: 'CASH' | 'MARGIN',
  cash: Decimal,
  positions: Record<string, unknown>[],
): Pick<SchwabSimAccount, 'currentBalances' | 'initialBalances'> {
  const invested = positions.reduce((s, p) => s.plus(p.marketValue as number), new Decimal(0));
  const liquidation = cash.plus(invested).toDecimalPlaces(2).toNumber();
  const c = cash.toDecimalPlaces(2).toNumber();
  const longMarketValue = invested.toDecimalPlaces(2).toNumber();
  if (type === 'MARGIN')
    return {
      currentBalances: {
        accruedInterest: 0,
        cashBalance: c,
        cashReceipts: 0,
        longMarketValue,
        liquidationValue: liquidation,
        moneyMarketFund: 0,
        pendingDeposits: 0,
        availableFunds: c,
        availableFundsNonMarginableTrade: c,
        buyingPower: new Decimal(c).times(2).toNumber(),
        buyingPowerNonMarginableTrade: c,
        dayTradingBuyingPower: new Decimal(c).times(4).toNumber(),
        equity: liquidation,
        marginBalance: 0,
        shortBalance: 0,
        sma: c,
      },
      initialBalances: {
        accountValue: liquidation,
        cashBalance: c,
        liquidationValue: liquidation,
        equity: liquidation,
      },
    };
  return {
    currentBalances: {
      cashAvailableForTrading: c,
      cashAvailableForWithdrawal: c,
      cashBalance: c,
      liquidationValue: liquidation,
      longMarketValue,
      totalCash: c,
      unsettledCash: 0,
    },
    initialBalances: { accountValue: liquidation, cashBalance: c, liquidationValue: liquidation },
  };
}

const settledCash = (txns: SchwabSimTransaction[]) =>
  txns.filter((t) => t.status === 'VALID').reduce((s, t) => s.plus(t.netAmount as number), new Decimal(0));

function marginAccount(nextId: () => number): SchwabSimAccount {
  const acct = SEED_MARGIN_ACCOUNT;
  const txns: SchwabSimTransaction[] = [];
  const months = ['01', '02', '03', '04', '05', '06', '07', '08', '09'];
  for (const m of months) {
    txns.push(
      cashMovement({
        activityId: nextId(),
        accountNumber: acct,
        at: `2025-${m}-03T15:12:00Z`,
        type: 'ACH_RECEIPT',
        amount: '2000.00',
        description: 'CLIENT REQUESTED ELECTRONIC FUNDING RECEIPT (FUNDS NOW)',
      }),
      cashMovement({
        activityId: nextId(),
        accountNumber: acct,
        at: `2025-${m}-27T10:00:00Z`,
        type: 'DIVIDEND_OR_INTEREST',
        amount: `0.${(40 + Number(m) * 3).toString()}`,
        description: `SCHWAB1 INT ${m}/01-${m}/26`,
      }),
    );
  }
  const t = (at: string, instrument: InstrumentSpec, quantity: number, price: string, extra = {}) =>
    trade({
      activityId: nextId(),
      accountNumber: acct,
      at,
      instrument,
      quantity,
      price,
      subAccount: 'MARGIN',
      ...extra,
    });
  const div = (at: string, instrument: InstrumentSpec, amount: string) =>
    cashMovement({
      activityId: nextId(),
      accountNumber: acct,
      at,
      type: 'DIVIDEND_OR_INTEREST',
      amount,
      description: instrument.description,
      instrument,
    });
  txns.push(
    t('2025-01-10T14:31:07Z', AAPL, 50, '185.32'),
    t('2025-01-21T15:02:44Z', SCHD, 120, '27.45'),
    div('2025-02-13T13:00:00Z', AAPL, '12.50'),
    t('2025-02-14T16:45:10Z', MSFT, 15, '408.17'),
    t('2025-03-18T14:05:33Z', AAPL_CALL, 2, '4.35', {
      multiplier: 100,
      commission: '1.30',
      fees: { OPT_REG_FEE: '0.04' },
    }),
    div('2025-03-26T13:00:00Z', SCHD, '29.86'),
    cashMovement({
      activityId: nextId(),
      accountNumber: acct,
      at: '2025-04-15T18:20:00Z',
      type: 'JOURNAL',
      amount: '-250.00',
      description: 'INTRA-ACCOUNT TRANSFER',
    }),
    t('2025-05-06T19:41:02Z', AAPL_CALL, -2, '6.10', {
      multiplier: 100,
      commission: '1.30',
      fees: { OPT_REG_FEE: '0.04', TAF_FEE: '0.01', SEC_FEE: '0.03' },
    }),
    div('2025-05-15T13:00:00Z', AAPL, '12.50'),
    t('2025-06-12T15:30:55Z', AAPL, -10, '229.87', { fees: { SEC_FEE: '0.06', TAF_FEE: '0.01' } }),
    div('2025-06-25T13:00:00Z', SCHD, '29.57'),
    cashMovement({
      activityId: nextId(),
      accountNumber: acct,
      at: '2025-07-01T17:00:00Z',
      type: 'WIRE_OUT',
      amount: '-1500.00',
      description: 'WIRED FUNDS DISBURSED',
    }),
    div('2025-08-14T13:00:00Z', AAPL, '10.40'),
    t('2025-08-20T14:12:19Z', SCHD, 80, '27.02'),
    div('2025-09-24T13:00:00Z', SCHD, '52.00'),
    cashMovement({
      activityId: nextId(),
      accountNumber: acct,
      at: '2025-09-29T15:00:00Z',
      type: 'ACH_RECEIPT',
      amount: '2000.00',
      description: 'CLIENT REQUESTED ELECTRONIC FUNDING RECEIPT (FUNDS NOW)',
      status: 'PENDING',
    }),
  );
  const positions = [
    position({ instrument: AAPL, quantity: 40, averagePrice: '185.32', lastPrice: '238.47' }),
    position({ instrument: MSFT, quantity: 15, averagePrice: '408.17', lastPrice: '505.12' }),
    position({ instrument: SCHD, quantity: 200, averagePrice: '27.278', lastPrice: '27.31' }),
  ];
  return {
    accountNumber: acct,
    type: 'MARGIN',
    ...balances('MARGIN', settledCash(txns), positions),
    positions,
    transactions: txns,
  };
}

function cashAccount(nextId: () => number): SchwabSimAccount {
  const acct = SEED_CASH_ACCOUNT;
  const txns: SchwabSimTransaction[] = [
    cashMovement({
      activityId: nextId(),
      accountNumber: acct,
      at: '2025-02-03T16:00:00Z',
      type: 'CASH_RECEIPT',
      amount: '7000.00',
      description: 'IRA CONTRIBUTION 2024',
    }),
    trade({
      activityId: nextId(),
      accountNumber: acct,
      at: '2025-02-05T14:40:00Z',
      instrument: VTI,
      quantity: 20,
      price: '299.10',
    }),
    cashMovement({
      activityId: nextId(),
      accountNumber: acct,
      at: '2025-03-27T13:00:00Z',
      type: 'DIVIDEND_OR_INTEREST',
      amount: '18.04',
      description: VTI.description,
      instrument: VTI,
    }),
    trade({
      activityId: nextId(),
      accountNumber: acct,
      at: '2025-04-08T15:05:00Z',
      instrument: SWVXX,
      quantity: 900,
      price: '1.00',
    }),
  ];
  const positions = [
    position({ instrument: VTI, quantity: 20, averagePrice: '299.10', lastPrice: '321.77' }),
    position({ instrument: SWVXX, quantity: 900, averagePrice: '1.00', lastPrice: '1.00' }),
  ];
  return {
    accountNumber: acct,
    type: 'CASH',
    ...balances('CASH', settledCash(txns), positions),
    positions,
    transactions: txns,
  };
}

export function seedSchwabAccounts(): SchwabSimAccount[] {
  let id = 95_000_000_000;
  const nextId = () => ++id;
  return [marginAccount(nextId), cashAccount(nextId)];
}
