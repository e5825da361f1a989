import type {
  BankStatementSpec,
  DocumentSpec,
  TransactionSpec,
} from '../../../sandbox/bank-files/write-ofx.js';
import { random } from '../../lib/random.js';

/**
 * A deterministic, realistic OFX document: checking, savings, credit card and money-market accounts, with the
 * transaction mix, names (entities, accented letters), memos, check numbers and zoned timestamps banks export.
 * Zones stay whole-hour here because the peer (ofxparse) cannot read fractional offsets.
 */

const MERCHANTS = [
  "TRADER JOE'S #552",
  'AT&T WIRELESS',
  'BARNES & NOBLE 2291',
  'CAFÉ ROUGE',
  'SHELL OIL 57442',
  'AMAZON.COM*2K4L',
  'COSTCO WHSE #0113',
  'NETFLIX.COM',
  'UBER *TRIP',
  'WHOLEFDS MKT 10234',
  'CHIPOTLE 0872',
  'CVS/PHARMACY #08863',
  'DELTA AIR 0062154',
  'HOME DEPOT #4702',
  'SQ *BLUE BOTTLE',
];

type Kind = readonly [type: string, sign: -1 | 1, min: number, max: number];
const BANK_MIX: Kind[] = [
  ['POS', -1, 200, 15000],
  ['POS', -1, 200, 15000],
  ['DEBIT', -1, 500, 40000],
  ['ATM', -1, 2000, 40000],
  ['CHECK', -1, 5000, 250000],
  ['DIRECTDEP', 1, 150000, 600000],
  ['XFER', 1, 1000, 200000],
  ['PAYMENT', -1, 2000, 150000],
  ['FEE', -1, 100, 3900],
  ['INT', 1, 1, 900],
];
const CARD_MIX: Kind[] = [
  ['DEBIT', -1, 200, 30000],
  ['DEBIT', -1, 200, 30000],
  ['DEBIT', -1, 200, 30000],
  ['CREDIT', 1, 500, 20000],
  ['PAYMENT', 1, 20000, 300000],
  ['FEE', -1, 2500, 3900],
];
const ZONES = ['[-5:EST]', '[-4:EDT]', '[0:GMT]', ''];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function transactions(count: number, mix: Kind[], prefix: string, next: () => number): TransactionSpec[] {
  const out: TransactionSpec[] = [];
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < count; i++) {
    const [type, sign, min, max] = mix[Math.floor(next() * mix.length)]!;
    const cents = min + Math.floor(next() * (max - min));
    const when = new Date(start + Math.floor((i / count) * 730 * 86_400_000));
    const stamp = `${when.getUTCFullYear()}${pad(when.getUTCMonth() + 1)}${pad(when.getUTCDate())}`;
    const zone = ZONES[i % ZONES.length]!;
    const t: TransactionSpec = {
      type,
      posted: zone ? `${stamp}${pad(8 + (i % 12))}0000.000${zone}` : stamp,
      amount: `${sign < 0 ? '-' : ''}${Math.floor(cents / 100)}.${pad(cents % 100)}`,
      fitId: `${prefix}${stamp}${pad(i, 7)}`,
      name: type === 'CHECK' ? `CHECK ${1000 + i}` : MERCHANTS[Math.floor(next() * MERCHANTS.length)]!,
    };
    if (type === 'CHECK') t.checkNumber = String(1000 + i);
    if (next() < 0.3) t.memo = `REF ${Math.floor(next() * 1e9)} ${type === 'POS' ? 'CARD 1234' : 'ONLINE'}`;
    out.push(t);
  }
  return out;
}

/** `total` transactions over four accounts (45% checking, 10% savings, 40% credit card, 5% money market). */
export function generateDocument(total: number, seed = 42): DocumentSpec {
  const next = random(seed);
  const shares = [0.45, 0.1, 0.4, 0.05];
  const counts = shares.map((s) => Math.floor(total * s));
  counts[0]! += total - counts.reduce((a, b) => a + b, 0);
  const ledger = { amount: '12345.67', asOf: '20241231120000.000[-5:EST]' };
  const statements: BankStatementSpec[] = [
    {
      kind: 'bank',
      accountId: '000123456789',
      accountType: 'CHECKING',
      transactions: transactions(counts[0]!, BANK_MIX, 'C', next),
      ledger,
      available: ledger,
    },
    {
      kind: 'bank',
      accountId: '000123456790',
      accountType: 'SAVINGS',
      transactions: transactions(counts[1]!, BANK_MIX, 'S', next),
      ledger,
    },
    {
      kind: 'card',
      accountId: '4147202112345678',
      transactions: transactions(counts[2]!, CARD_MIX, 'V', next),
      ledger: { amount: '-2310.45', asOf: ledger.asOf },
    },
    {
      kind: 'bank',
      accountId: '000123456791',
      accountType: 'MONEYMRKT',
      transactions: transactions(counts[3]!, BANK_MIX, 'M', next),
      ledger,
    },
  ];
  for (const s of statements) Object.assign(s, { start: '20230101', end: '20241231' });
  return {
    org: 'B1',
    fid: '10898',
    intuitBankId: '10898',
    serverDate: '20250101120000.000[-5:EST]',
    statements,
  };
}
