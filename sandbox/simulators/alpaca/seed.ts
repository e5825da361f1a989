import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { parseDate, startOfDayInZone } from '../../../src/kernel/dates.js';

/**
 * Alpaca Trading API payloads, shaped like the vendor's own examples (docs.alpaca.markets, the alpaca-docs
 * repository): every number a decimal string, activity ids `<17-digit UTC timestamp>::<uuid>` so that they sort
 * by time and can be sent back as `page_token`, fills (`FILL`) with `transaction_time` and non-trade activities
 * (DIV, FEE, CSD, ...) with a calendar `date`.
 */

export type AlpacaActivity = Record<string, unknown> & { id: string; activity_type: string };

export interface AlpacaSimData {
  account: Record<string, unknown>;
  positions: Record<string, unknown>[];
  activities: AlpacaActivity[];
}

/** A deterministic UUID-shaped id from a seed string. */
export function pseudoUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const activityId = (instant: Date, seed: string) =>
  `${instant.toISOString().replace(/[-:TZ.]/g, '')}::${pseudoUuid(seed)}`;

export interface FillSpec {
  at: string;
  symbol: string;
  side: 'buy' | 'sell' | 'sell_short';
  qty: string;
  price: string;
  /** A partial fill leaves the rest of the order open. */
  leavesQty?: string;
}

export function fill(spec: FillSpec): AlpacaActivity {
  const at = new Date(spec.at);
  const leaves = spec.leavesQty ?? '0';
  return {
    id: activityId(at, `fill:${spec.at}:${spec.symbol}`),
    activity_type: 'FILL',
    transaction_time: at.toISOString(),
    type: leaves === '0' ? 'fill' : 'partial_fill',
    price: spec.price,
    qty: spec.qty,
    side: spec.side,
    symbol: spec.symbol,
    leaves_qty: leaves,
    order_id: pseudoUuid(`order:${spec.at}:${spec.symbol}`),
    cum_qty: spec.qty,
    order_status: leaves === '0' ? 'filled' : 'partially_filled',
  };
}

export interface NonTradeSpec {
  type: string;
  date: string;
  netAmount: string;
  description?: string;
  symbol?: string;
  qty?: string;
  perShareAmount?: string;
  status?: 'executed' | 'correct' | 'canceled';
  /** Orders activities of one day. */
  seq?: number;
}

/** When a non-trade activity posts: an hour after midnight New York time on its date. */
export const nonTradeInstant = (date: string, seq = 0) =>
  new Date(startOfDayInZone(parseDate(date), 'America/New_York').getTime() + 3_600_000 + seq * 1000);

export function nonTrade(spec: NonTradeSpec): AlpacaActivity {
  return {
    id: activityId(nonTradeInstant(spec.date, spec.seq), `nta:${spec.type}:${spec.date}:${spec.seq ?? 0}`),
    activity_type: spec.type,
    date: spec.date,
    net_amount: spec.netAmount,
    description: spec.description ?? '',
    status: spec.status ?? 'executed',
    ...(spec.symbol ? { symbol: spec.symbol } : {}),
    ...(spec.qty ? { qty: spec.qty } : {}),
    ...(spec.perShareAmount ? { per_share_amount: spec.perShareAmount } : {}),
  };
}

const SYMBOLS = [
  { symbol: 'AAPL', price: '231.40' },
  { symbol: 'SPY', price: '602.15' },
  { symbol: 'MSFT', price: '451.08' },
];

/** Ten months of 2025: a fill most trading days, monthly deposits and dividends, fees and interest. */
export function seedAlpacaData(): AlpacaSimData {
  const activities: AlpacaActivity[] = [];
  let day = Date.UTC(2025, 0, 2);
  let n = 0;
  while (day <= Date.UTC(2025, 9, 31)) {
    const d = new Date(day);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      const s = SYMBOLS[n % SYMBOLS.length]!;
      const price = new Decimal(s.price).plus(new Decimal(n % 17).times('0.37')).toFixed(2);
      const side = n % 4 === 3 ? 'sell' : 'buy';
      activities.push(
        fill({
          at: `${d.toISOString().slice(0, 10)}T15:${String(10 + (n % 40)).padStart(2, '0')}:07.214Z`,
          symbol: s.symbol,
          side,
          qty: String(1 + (n % 3)),
          price,
        }),
      );
      if (side === 'sell')
        activities.push(
          nonTrade({
            type: 'FEE',
            date: d.toISOString().slice(0, 10),
            netAmount: '-0.01',
            description: 'TAF fee',
            symbol: s.symbol,
            seq: 1,
          }),
        );
      n++;
    }
    day += 86_400_000;
  }
  for (let m = 1; m <= 10; m++) {
    const mm = String(m).padStart(2, '0');
    activities.push(
      nonTrade({ type: 'CSD', date: `2025-${mm}-01`, netAmount: '1500', description: 'ACH deposit' }),
    );
    activities.push(
      nonTrade({
        type: 'INT',
        date: `2025-${mm}-28`,
        netAmount: `0.${30 + m}`,
        description: 'Interest credit',
        seq: 2,
      }),
    );
  }
  activities.push(
    nonTrade({
      type: 'DIV',
      date: '2025-02-13',
      netAmount: '2.75',
      symbol: 'AAPL',
      qty: '11',
      perShareAmount: '0.25',
      description: 'Cash dividend',
    }),
    nonTrade({
      type: 'DIV',
      date: '2025-05-15',
      netAmount: '4.68',
      symbol: 'AAPL',
      qty: '18',
      perShareAmount: '0.26',
      description: 'Cash dividend',
    }),
    nonTrade({
      type: 'DIVNRA',
      date: '2025-05-15',
      netAmount: '-1.40',
      symbol: 'AAPL',
      description: 'NRA tax withheld',
      seq: 3,
    }),
    nonTrade({ type: 'CSW', date: '2025-07-15', netAmount: '-750', description: 'ACH withdrawal' }),
    nonTrade({
      type: 'JNLC',
      date: '2025-08-04',
      netAmount: '-100',
      description: 'Journal to linked account',
      status: 'canceled',
    }),
  );
  activities.sort((a, b) => (a.id < b.id ? -1 : 1));

  const account = {
    id: pseudoUuid('alpaca-sim-account'),
    account_number: 'PA37ZQ1BK2NT',
    status: 'ACTIVE',
    crypto_status: 'ACTIVE',
    currency: 'USD',
    buying_power: '41532.18',
    regt_buying_power: '41532.18',
    non_marginable_buying_power: '20766.09',
    options_buying_power: '20766.09',
    cash: '20766.09',
    accrued_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    portfolio_value: '32473.35',
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: '2024-11-18T16:02:41.37Z',
    trade_suspended_by_user: false,
    multiplier: '2',
    shorting_enabled: true,
    equity: '32473.35',
    last_equity: '32390.12',
    long_market_value: '11707.26',
    short_market_value: '0',
    initial_margin: '5853.63',
    maintenance_margin: '3512.18',
    last_maintenance_margin: '3490.01',
    sma: '20766.09',
    daytrade_count: 0,
  };
  const positions = [
    { symbol: 'AAPL', qty: '18', avg: '229.8811', last: '238.47', cls: 'us_equity', exchange: 'NASDAQ' },
    { symbol: 'SPY', qty: '11', avg: '598.2', last: '640.11', cls: 'us_equity', exchange: 'ARCA' },
    {
      symbol: 'BTC/USD',
      qty: '0.012345678',
      avg: '61250.5',
      last: '64011.2',
      cls: 'crypto',
      exchange: 'CRYPTO',
    },
  ].map((p) => {
    const mv = new Decimal(p.qty).times(p.last);
    const cost = new Decimal(p.qty).times(p.avg);
    return {
      asset_id: pseudoUuid(`asset:${p.symbol}`),
      symbol: p.symbol,
      exchange: p.exchange,
      asset_class: p.cls,
      asset_marginable: p.cls !== 'crypto',
      avg_entry_price: p.avg,
      qty: p.qty,
      qty_available: p.qty,
      side: 'long',
      market_value: mv.toFixed(2),
      cost_basis: cost.toFixed(4),
      unrealized_pl: mv.minus(cost).toFixed(2),
      unrealized_plpc: mv.minus(cost).div(cost).toFixed(6),
      unrealized_intraday_pl: '0',
      unrealized_intraday_plpc: '0',
      current_price: p.last,
      lastday_price: p.last,
      change_today: '0',
    };
  });
  return { account, positions, activities };
}
