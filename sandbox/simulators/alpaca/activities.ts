import { dateInZone, isCalendarDate, parseDate, startOfDayInZone } from '../../../src/kernel/dates.js';
import type { SimResponse } from '../shared/server.js';
import { type AlpacaActivity, nonTradeInstant } from './seed.js';

/**
 * `GET /v2/account/activities[/{activity_type}]` as Alpaca documents it: filters `activity_types` (comma list) or
 * the path type, `date` (one day, New York time) or `after`/`until` (exclusive bounds, `YYYY-MM-DD` or RFC 3339),
 * `direction` (`desc` by default), and cursor paging where `page_token` is the id of the last activity of the
 * previous page and `page_size` defaults to and caps at 100 unless `date` is given.
 */

export const ACTIVITY_TYPES = new Set(
  (
    'FILL TRANS MISC ACATC ACATS CFEE CSD CSW DIV DIVCGL DIVCGS DIVFEE DIVFT DIVNRA DIVROC DIVTW DIVTXEX FEE ' +
    'INT INTNRA INTTW JNL JNLC JNLS MA NC OPASN OPEXP OPXRC PTC PTR REORG SC SSO SSP'
  ).split(' '),
);
// Alpaca's group types stand for several concrete ones.
const GROUPS: Record<string, (t: string) => boolean> = {
  TRANS: (t) => t === 'CSD' || t === 'CSW',
  MISC: (t) => !['FILL', 'CSD', 'CSW'].includes(t) && !t.startsWith('DIV'),
};

const ZONE = 'America/New_York';

export const unprocessable = (message: string): SimResponse => ({
  status: 422,
  body: { code: 42210000, message },
});

function instantOf(a: AlpacaActivity): number {
  if (typeof a.transaction_time === 'string') return Date.parse(a.transaction_time);
  return nonTradeInstant(String(a.date)).getTime();
}

function bound(text: string | null, name: string): number | SimResponse | undefined {
  if (text === null) return undefined;
  if (isCalendarDate(text)) return startOfDayInZone(parseDate(text), ZONE).getTime();
  const t = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(t) ? unprocessable(`invalid ${name}: ${text}`) : t;
}

const matchesType = (types: string[]) => (a: AlpacaActivity) =>
  types.some((t) => t === a.activity_type || GROUPS[t]?.(a.activity_type));

export function listActivities(all: AlpacaActivity[], q: URLSearchParams, pathType?: string): SimResponse {
  const types = pathType ? [pathType] : (q.get('activity_types')?.split(',').filter(Boolean) ?? []);
  const bad = types.find((t) => !ACTIVITY_TYPES.has(t));
  if (bad) return unprocessable(`invalid activity type: ${bad}`);

  const direction = q.get('direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') return unprocessable('direction must be asc or desc');
  const date = q.get('date');
  if (date !== null && !isCalendarDate(date.slice(0, 10))) return unprocessable(`invalid date: ${date}`);
  if (date !== null && (q.has('after') || q.has('until')))
    return unprocessable('date cannot be used with after or until');
  const after = bound(q.get('after'), 'after');
  const until = bound(q.get('until'), 'until');
  if (typeof after === 'object') return after;
  if (typeof until === 'object') return until;

  const sizeText = q.get('page_size');
  const pageSize = sizeText === null ? (date === null ? 100 : Number.POSITIVE_INFINITY) : Number(sizeText);
  if (!Number.isInteger(pageSize) && pageSize !== Number.POSITIVE_INFINITY)
    return unprocessable('invalid page_size');
  if (pageSize < 1 || (date === null && pageSize > 100))
    return unprocessable('page_size must be between 1 and 100');
  const token = q.get('page_token');

  const selected = all
    .filter((a) => types.length === 0 || matchesType(types)(a))
    .filter((a) => {
      const at = instantOf(a);
      if (date !== null) return dateInZone(new Date(at), ZONE) === date.slice(0, 10);
      return (after === undefined || at > after) && (until === undefined || at < until);
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (direction === 'desc') selected.reverse();
  const afterToken =
    token === null ? selected : selected.filter((a) => (direction === 'asc' ? a.id > token : a.id < token));
  return { status: 200, body: afterToken.slice(0, pageSize) };
}
