import { describe, expect, it } from 'vitest';
import { mapAlpacaAccount, mapAlpacaActivities, mapAlpacaPositions } from './mappers.js';

// Payloads shaped like Alpaca's documented examples (decimal strings, `<timestamp>::<uuid>` ids), values made up.

const account = {
  id: 'e6fe16f3-64a4-4921-8928-cadf02f92f98',
  account_number: '010203ABCD',
  status: 'ACTIVE',
  crypto_status: 'ACTIVE',
  currency: 'USD',
  buying_power: '262113.632',
  regt_buying_power: '80680.36',
  non_marginable_buying_power: '7386.56',
  cash: '-23140.2',
  portfolio_value: '103820.56',
  equity: '103820.56',
  last_equity: '103529.24',
  long_market_value: '126960.76',
  short_market_value: '0',
  multiplier: '4',
  account_blocked: false,
  trading_blocked: false,
  created_at: '2019-06-12T22:47:07.99658Z',
};

describe('mapAlpacaAccount', () => {
  it('maps balances from decimal strings and masks the account number', () => {
    const { items, skipped } = mapAlpacaAccount(account);
    expect(skipped).toEqual([]);
    expect(items[0]).toEqual({
      providerAccountId: 'e6fe16f3-64a4-4921-8928-cadf02f92f98',
      accountNumberMasked: '****ABCD',
      name: 'Alpaca ****ABCD',
      accountType: 'brokerage',
      currency: 'USD',
      balance: 10382056,
      availableBalance: 738656,
      cashBalance: -2314020,
      balanceAsOf: null,
      institution: { name: 'Alpaca Securities', id: 'alpaca' },
      isActive: true,
    });
  });

  it('marks a blocked or closed account inactive, and skips one it cannot read', () => {
    expect(mapAlpacaAccount({ ...account, account_blocked: true }).items[0]!.isActive).toBe(false);
    expect(mapAlpacaAccount({ ...account, status: 'ACCOUNT_CLOSED' }).items[0]!.isActive).toBe(false);
    expect(mapAlpacaAccount({ ...account, equity: 'NaN' }).skipped).toEqual([
      { index: 0, providerId: account.id, reason: 'equity is not a number' },
    ]);
    expect(mapAlpacaAccount({ ...account, currency: 'dollars' }).skipped[0]!.reason).toBe(
      'currency is not an ISO 4217 code',
    );
  });
});

describe('mapAlpacaPositions', () => {
  it('maps equities, shorts and fractional crypto; cost basis rounds half-even to the cent', () => {
    const { items, skipped } = mapAlpacaPositions([
      {
        asset_id: '904837e3-3b76-47ec-b432-046db621571b',
        symbol: 'AAPL ',
        exchange: 'NASDAQ',
        asset_class: 'us_equity',
        avg_entry_price: '100.0',
        qty: '5',
        side: 'long',
        market_value: '600.0',
        cost_basis: '500.0',
        current_price: '120.0',
      },
      {
        asset_id: 'a1',
        symbol: 'TSLA',
        asset_class: 'us_equity',
        qty: '-3',
        side: 'short',
        market_value: '-750.00',
        cost_basis: '-810.00',
        avg_entry_price: '270',
      },
      {
        asset_id: 'b2',
        symbol: 'BTC/USD',
        asset_class: 'crypto',
        qty: '0.012345678',
        market_value: '790.24',
        cost_basis: '756.1565',
        avg_entry_price: '61250.5',
        current_price: '64011.2',
      },
    ]);
    expect(skipped).toEqual([]);
    expect(
      items.map((h) => [h.providerHoldingId, h.symbol, h.assetType, h.quantity, h.costBasis, h.marketValue]),
    ).toEqual([
      ['904837e3-3b76-47ec-b432-046db621571b', 'AAPL', 'equity', '5', 50000, 60000],
      ['a1', 'TSLA', 'equity', '-3', -81000, -75000],
      ['b2', 'BTC/USD', 'cryptocurrency', '0.012345678', 75616, 79024],
    ]);
    expect(items[0]).toMatchObject({ averagePrice: '100', currentPrice: '120' });
  });

  it('skips closed and unreadable positions', () => {
    const { items, skipped } = mapAlpacaPositions([
      { symbol: 'GONE', qty: '0' },
      { symbol: 'BAD', qty: 'five' },
      { qty: '1' },
    ]);
    expect(items).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([
      'closed position (quantity 0)',
      'qty is not a number',
      'symbol is missing',
    ]);
  });
});

const fill = {
  activity_type: 'FILL',
  cum_qty: '1',
  id: '20250524113406977::8efc7b9a-8b2b-4000-9955-d36e7db0df74',
  leaves_qty: '0',
  price: '1.63',
  qty: '3',
  side: 'buy',
  symbol: 'LPCN',
  transaction_time: '2025-05-24T01:34:06.977Z',
  order_id: '904837e3-3b76-47ec-b432-046db621571b',
  type: 'fill',
};
const dividend = {
  activity_type: 'DIV',
  id: '20250801011955195::5f596936-6f23-4cef-bdf1-3806aae57dbf',
  date: '2025-08-01',
  net_amount: '1.02',
  description: 'Cash DIV @ 0.51',
  status: 'executed',
  symbol: 'T',
  qty: '2',
  per_share_amount: '0.51',
};

describe('mapAlpacaActivities', () => {
  it('maps a fill: amount is price × quantity, negative for a buy, on the New York trading day', () => {
    const [t] = mapAlpacaActivities([fill]).items;
    expect(t).toEqual({
      providerTransactionId: fill.id,
      transactionType: 'trade',
      subtype: 'buy',
      status: 'settled',
      amount: -489,
      currency: 'USD',
      description: 'BUY 3 LPCN @ 1.63',
      memo: null,
      // 01:34 UTC on May 24 is 21:34 on May 23 in New York.
      transactionDate: '2025-05-23',
      settlementDate: null,
      pendingTransactionId: null,
      checkNumber: null,
      symbol: 'LPCN',
      quantity: '3',
      unitPrice: '1.63',
      commission: null,
    });
    const [sell] = mapAlpacaActivities([{ ...fill, side: 'sell', price: '10.005', qty: '1' }]).items;
    expect(sell).toMatchObject({ subtype: 'sell', amount: 1000 });
  });

  it('maps non-trade activities with their signed net amount', () => {
    const { items } = mapAlpacaActivities([
      dividend,
      {
        id: 'x1',
        activity_type: 'CSW',
        date: '2025-07-15',
        net_amount: '-750',
        description: 'ACH withdrawal',
      },
      {
        id: 'x2',
        activity_type: 'FEE',
        date: '2025-07-16',
        net_amount: '-0.01',
        description: 'TAF fee',
        symbol: 'SPY',
      },
      { id: 'x3', activity_type: 'DIVNRA', date: '2025-07-17', net_amount: '-0.31' },
      { id: 'x4', activity_type: 'JNLC', date: '2025-08-04', net_amount: '-100', status: 'canceled' },
      { id: 'x5', activity_type: 'TRANS', date: '2025-08-05T04:00:00Z', net_amount: '250' },
      { id: 'x6', activity_type: 'NEWTHING', date: '2025-08-06', net_amount: '0' },
    ]);
    expect(items.map((t) => [t.transactionType, t.subtype, t.status, t.amount, t.transactionDate])).toEqual([
      ['income', 'dividend', 'settled', 102, '2025-08-01'],
      ['transfer', 'withdrawal', 'settled', -75000, '2025-07-15'],
      ['fee', 'fee', 'settled', -1, '2025-07-16'],
      ['income', 'dividend_tax_withheld', 'settled', -31, '2025-07-17'],
      ['transfer', 'journal', 'cancelled', -10000, '2025-08-04'],
      ['transfer', 'deposit', 'settled', 25000, '2025-08-05'],
      ['other', 'newthing', 'settled', 0, '2025-08-06'],
    ]);
    expect(items[0]).toMatchObject({
      symbol: 'T',
      quantity: '2',
      unitPrice: '0.51',
      description: 'Cash DIV @ 0.51',
    });
  });

  it('skips and reports records it cannot trust', () => {
    const { items, skipped } = mapAlpacaActivities([
      { ...fill, price: undefined },
      { ...fill, id: 'f2', side: 'sideways' },
      { ...dividend, id: 'd2', net_amount: '' },
      { ...dividend, id: 'd3', status: 'voided' },
      { ...dividend, id: 'd4', date: '08/01/2025' },
      dividend,
    ]);
    expect(items.map((t) => t.providerTransactionId)).toEqual([dividend.id]);
    expect(skipped).toEqual([
      { index: 0, providerId: fill.id, reason: 'price is missing' },
      { index: 1, providerId: 'f2', reason: 'side sideways is not one Plinth maps' },
      { index: 2, providerId: 'd2', reason: 'net_amount is missing' },
      { index: 3, providerId: 'd3', reason: 'status voided is not one Plinth maps' },
      { index: 4, providerId: 'd4', reason: 'date is not a timestamp' },
    ]);
  });
});
