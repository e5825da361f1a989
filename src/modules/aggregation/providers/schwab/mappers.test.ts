import { describe, expect, it } from 'vitest';
import { mapSchwabAccounts, mapSchwabPositions, mapSchwabTransactions } from './mappers.js';

// Payloads in the shape the Trader API returns them (field names, JSON numbers, `+0000` timestamps, fee legs as
// CURRENCY_USD transfer items), with values made up.

const usd = {
  assetType: 'CURRENCY',
  status: 'ACTIVE',
  symbol: 'CURRENCY_USD',
  description: 'USD currency',
  instrumentId: 1,
  closingPrice: 0,
};

const optionBuy = {
  activityId: 81234567890,
  time: '2025-05-07T13:30:01+0000',
  accountNumber: '12345678',
  type: 'TRADE',
  status: 'VALID',
  subAccount: 'MARGIN',
  tradeDate: '2025-05-07T13:30:01+0000',
  settlementDate: '2025-05-08T04:00:00+0000',
  positionId: 2472242249,
  orderId: 1000454139831,
  netAmount: -248.66,
  activityType: 'EXECUTION',
  transferItems: [
    { instrument: usd, amount: 0.65, cost: -0.65, feeType: 'COMMISSION' },
    { instrument: usd, amount: 0, cost: 0, feeType: 'SEC_FEE' },
    { instrument: usd, amount: 0.01, cost: -0.01, feeType: 'OPT_REG_FEE' },
    {
      instrument: {
        assetType: 'OPTION',
        status: 'ACTIVE',
        symbol: 'CVS   250815C00057500',
        description: 'CVS Health Corp 08/15/2025 $57.5 Call',
        putCall: 'CALL',
        strikePrice: 57.5,
        optionPremiumMultiplier: 100,
        underlyingSymbol: 'CVS',
      },
      amount: 1,
      cost: -248,
      price: 2.48,
      positionEffect: 'OPENING',
    },
  ],
};

const equitySell = {
  activityId: 81234567891,
  time: '2025-06-12T19:58:30+0000',
  type: 'TRADE',
  status: 'VALID',
  tradeDate: '2025-06-12T19:58:30+0000',
  settlementDate: '2025-06-13T04:00:00+0000',
  netAmount: 2298.63,
  transferItems: [
    { instrument: usd, amount: 0, cost: 0, feeType: 'COMMISSION' },
    { instrument: usd, amount: 0.06, cost: -0.06, feeType: 'SEC_FEE' },
    { instrument: usd, amount: 0.01, cost: -0.01, feeType: 'TAF_FEE' },
    {
      instrument: {
        assetType: 'EQUITY',
        symbol: 'AAPL',
        cusip: '037833100',
        description: 'APPLE INC',
        type: 'COMMON_STOCK',
      },
      amount: -10,
      cost: 2298.7,
      price: 229.87,
      positionEffect: 'CLOSING',
    },
  ],
};

const dividend = {
  activityId: 81234567892,
  time: '2025-05-15T13:00:00+0000',
  type: 'DIVIDEND_OR_INTEREST',
  status: 'VALID',
  tradeDate: '2025-05-15T04:00:00+0000',
  netAmount: 12.5,
  description: 'APPLE INC',
  transferItems: [
    { instrument: { assetType: 'EQUITY', symbol: 'AAPL', description: 'APPLE INC' }, amount: 0, cost: 0 },
  ],
};

const interest = {
  activityId: 81234567893,
  time: '2025-05-28T10:00:00+0000',
  type: 'DIVIDEND_OR_INTEREST',
  status: 'VALID',
  netAmount: 0.42,
  description: 'SCHWAB1 INT 04/28-05/27',
  transferItems: [{ instrument: usd, amount: 0.42, cost: 0 }],
};

const pendingDeposit = {
  activityId: 81234567894,
  time: '2025-09-30T02:15:00+0000',
  type: 'ACH_RECEIPT',
  status: 'PENDING',
  netAmount: 2000,
  description: 'CLIENT REQUESTED ELECTRONIC FUNDING RECEIPT (FUNDS NOW)',
  transferItems: [{ instrument: usd, amount: 2000, cost: 2000 }],
};

describe('mapSchwabTransactions', () => {
  it('maps an option buy: signed amount, the contract, price and all fee legs as commission', () => {
    const { items, skipped } = mapSchwabTransactions([optionBuy]);
    expect(skipped).toEqual([]);
    expect(items[0]).toEqual({
      providerTransactionId: '81234567890',
      transactionType: 'trade',
      subtype: 'buy',
      status: 'settled',
      amount: -24866,
      currency: 'USD',
      description: 'CVS Health Corp 08/15/2025 $57.5 Call',
      memo: null,
      transactionDate: '2025-05-07',
      settlementDate: '2025-05-08',
      pendingTransactionId: null,
      checkNumber: null,
      symbol: 'CVS   250815C00057500',
      quantity: '1',
      unitPrice: '2.48',
      commission: 66,
    });
  });

  it('maps a sale as money in, with its quantity unsigned', () => {
    const [t] = mapSchwabTransactions([equitySell]).items;
    expect(t).toMatchObject({
      subtype: 'sell',
      amount: 229863,
      quantity: '10',
      unitPrice: '229.87',
      commission: 7,
    });
  });

  it('tells a dividend from interest by the security it was paid on', () => {
    const { items } = mapSchwabTransactions([dividend, interest]);
    expect(items.map((t) => [t.transactionType, t.subtype, t.amount, t.symbol, t.commission])).toEqual([
      ['income', 'dividend', 1250, 'AAPL', null],
      ['income', 'interest', 42, null, null],
    ]);
  });

  it('reads dates on the New York calendar and maps pending status', () => {
    // 02:15 UTC on Sep 30 is still Sep 29 in New York.
    const [t] = mapSchwabTransactions([pendingDeposit]).items;
    expect(t).toMatchObject({
      transactionType: 'transfer',
      subtype: 'deposit',
      status: 'pending',
      amount: 200000,
    });
    expect(t!.transactionDate).toBe('2025-09-29');
  });

  it('classifies short sales and covers by position effect', () => {
    const item = (amount: number, positionEffect: string) => ({
      ...equitySell,
      transferItems: [{ ...equitySell.transferItems[3], amount, positionEffect }],
    });
    const { items } = mapSchwabTransactions([item(-5, 'OPENING'), item(5, 'CLOSING')]);
    expect(items.map((t) => t.subtype)).toEqual(['sell_short', 'buy_to_cover']);
  });

  it('skips and reports bad records without coercing them, and maps the rest', () => {
    const { items, skipped } = mapSchwabTransactions([
      dividend,
      { ...interest, activityId: 1, netAmount: 'n/a' },
      { ...interest, activityId: 2, netAmount: undefined },
      { ...interest, activityId: 3, status: 'UNKNOWN' },
      { ...interest, activityId: undefined },
      { ...equitySell, activityId: 4, transferItems: [equitySell.transferItems[0]] },
      { ...interest, activityId: 5, time: 'yesterday', tradeDate: undefined },
      'not a transaction',
      interest,
    ]);
    expect(items.map((t) => t.providerTransactionId)).toEqual(['81234567892', '81234567893']);
    expect(skipped).toEqual([
      { index: 1, providerId: '1', reason: 'netAmount is not a number' },
      { index: 2, providerId: '2', reason: 'netAmount is missing' },
      { index: 3, providerId: '3', reason: 'status UNKNOWN is not one Plinth maps' },
      { index: 4, providerId: null, reason: 'activityId is missing' },
      { index: 5, providerId: '4', reason: 'trade without a security transfer item' },
      { index: 6, providerId: '5', reason: 'time is not a timestamp' },
      { index: 7, providerId: null, reason: 'record is not an object' },
    ]);
  });

  it('classifies cash movements, by sign where the type does not say', () => {
    const cash = (type: string, netAmount: number) => ({
      ...pendingDeposit,
      status: 'VALID',
      type,
      netAmount,
    });
    const { items } = mapSchwabTransactions([
      cash('ELECTRONIC_FUND', 500),
      cash('ELECTRONIC_FUND', -500),
      cash('WIRE_OUT', -1500),
      cash('ACH_DISBURSEMENT', -100),
      cash('JOURNAL', -250),
      cash('SMA_ADJUSTMENT', 0),
    ]);
    expect(items.map((t) => [t.transactionType, t.subtype, t.amount])).toEqual([
      ['transfer', 'deposit', 50000],
      ['transfer', 'withdrawal', -50000],
      ['transfer', 'wire_out', -150000],
      ['transfer', 'withdrawal', -10000],
      ['transfer', 'journal', -25000],
      ['adjustment', 'sma_adjustment', 0],
    ]);
  });

  it('keeps an unknown type as other rather than dropping it', () => {
    const [t] = mapSchwabTransactions([{ ...interest, type: 'SOMETHING_NEW' }]).items;
    expect(t).toMatchObject({ transactionType: 'other', subtype: 'something_new' });
  });
});

const marginAccount = {
  securitiesAccount: {
    type: 'MARGIN',
    accountNumber: '28135467',
    roundTrips: 0,
    isDayTrader: false,
    positions: [],
    initialBalances: { accountValue: 25010.12, cashBalance: 4100.5, liquidationValue: 25010.12 },
    currentBalances: {
      cashBalance: 4123.45,
      availableFunds: 4123.45,
      liquidationValue: 25104.87,
      buyingPower: 8246.9,
    },
  },
  aggregatedBalance: { currentLiquidationValue: 25104.87, liquidationValue: 25104.87 },
};
const cashAccount = {
  securitiesAccount: {
    type: 'CASH',
    accountNumber: '48291573',
    currentBalances: { cashAvailableForTrading: 118.04, totalCash: 118.04, liquidationValue: 7453.44 },
  },
};

describe('mapSchwabAccounts', () => {
  it('maps balances to cents and keeps only the last four digits', () => {
    const { items, skipped } = mapSchwabAccounts([
      { hashValue: 'HASH-M', account: marginAccount },
      { hashValue: 'HASH-C', account: cashAccount },
    ]);
    expect(skipped).toEqual([]);
    expect(items[0]).toEqual({
      providerAccountId: 'HASH-M',
      accountNumberMasked: '****5467',
      name: 'Schwab Margin ****5467',
      accountType: 'brokerage',
      currency: 'USD',
      balance: 2510487,
      availableBalance: 412345,
      cashBalance: 412345,
      balanceAsOf: null,
      institution: { name: 'Charles Schwab', id: 'schwab' },
      isActive: true,
    });
    expect(items[1]).toMatchObject({ balance: 745344, availableBalance: 11804, cashBalance: 11804 });
    expect(JSON.stringify(items)).not.toContain('28135467');
  });

  it('leaves an absent balance null, and skips an account whose balance is garbage or that has no hash', () => {
    const noBalances = { securitiesAccount: { type: 'CASH', accountNumber: '11112222' } };
    const garbage = {
      securitiesAccount: { ...cashAccount.securitiesAccount, currentBalances: { liquidationValue: 'lots' } },
    };
    const { items, skipped } = mapSchwabAccounts([
      { hashValue: 'H1', account: noBalances },
      { hashValue: 'H2', account: garbage },
      { hashValue: null, account: cashAccount },
    ]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ balance: null, availableBalance: null, cashBalance: null });
    expect(skipped).toEqual([
      { index: 1, providerId: 'H2', reason: 'currentBalances.liquidationValue is not a number' },
      { index: 2, providerId: null, reason: 'no hashValue for this account' },
    ]);
  });
});

describe('mapSchwabPositions', () => {
  const pos = (instrument: object, extra: object) => ({
    instrument,
    shortQuantity: 0,
    longQuantity: 0,
    ...extra,
  });

  it('maps equities, ETFs and options, taking cost as market value less open P/L', () => {
    const { items, skipped } = mapSchwabPositions([
      pos(
        { assetType: 'EQUITY', symbol: 'AAPL', cusip: '037833100', description: 'APPLE INC' },
        { longQuantity: 40, averagePrice: 185.32, marketValue: 9538.8, longOpenProfitLoss: 2126 },
      ),
      pos(
        {
          assetType: 'COLLECTIVE_INVESTMENT',
          type: 'EXCHANGE_TRADED_FUND',
          symbol: 'SCHD',
          description: 'SCHWAB US DIVIDEND EQUITY ETF',
        },
        { longQuantity: 200, averagePrice: 27.278, marketValue: 5462, longOpenProfitLoss: 6.4 },
      ),
      pos(
        {
          assetType: 'OPTION',
          symbol: 'AAPL  250620C00200000',
          description: 'APPLE INC 06/20/2025 $200 Call',
        },
        { longQuantity: 2, averagePrice: 4.35, marketValue: 1220, longOpenProfitLoss: 350 },
      ),
      pos(
        { assetType: 'EQUITY', symbol: 'TSLA' },
        { shortQuantity: 5, averagePrice: 250, marketValue: -1100, shortOpenProfitLoss: 150 },
      ),
    ]);
    expect(skipped).toEqual([]);
    expect(
      items.map((h) => [h.symbol, h.assetType, h.quantity, h.costBasis, h.marketValue, h.averagePrice]),
    ).toEqual([
      ['AAPL', 'equity', '40', 741280, 953880, '185.32'],
      ['SCHD', 'etf', '200', 545560, 546200, '27.278'],
      ['AAPL  250620C00200000', 'option', '2', 87000, 122000, '4.35'],
      ['TSLA', 'equity', '-5', -125000, -110000, '250'],
    ]);
    expect(items[1]!.securityName).toBe('SCHWAB US DIVIDEND EQUITY ETF');
  });

  it('skips closed positions and positions without a symbol, reporting why', () => {
    const { items, skipped } = mapSchwabPositions([
      pos({ assetType: 'EQUITY', symbol: 'GONE' }, {}),
      pos({ assetType: 'EQUITY' }, { longQuantity: 3 }),
      pos({ assetType: 'EQUITY', symbol: 'X' }, { longQuantity: 'three' }),
    ]);
    expect(items).toEqual([]);
    expect(skipped.map((s) => [s.providerId, s.reason])).toEqual([
      ['GONE', 'closed position (quantity 0)'],
      [null, 'instrument.symbol is missing'],
      ['X', 'longQuantity is not a number'],
    ]);
  });
});
