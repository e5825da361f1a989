// Amounts arrive in minor units with their currency; dates as YYYY-MM-DD. The console formats, never computes.
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, f);
  }
  return f;
}

/** 123456 USD → $1,234.56; 1234 JPY → ¥1,234 (the currency's own minor digits). */
export function money(minor: number | null | undefined, currency: string | null = 'USD'): string {
  if (minor === null || minor === undefined) return '—';
  // An amount whose currency is unknown (a holding's, say) is shown as it came.
  if (!currency) return String(minor);
  const f = moneyFormat(currency);
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/** The minor digits of a currency (an amount typed in major units is sent in minor units). */
export function minorDigits(currency: string): number {
  return moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "12.34" in a currency with two minor digits → 1234; undefined when it is not an amount. */
export function toMinor(text: string, currency: string): number | undefined {
  const t = text.trim().replace(/,/g, '');
  const digits = minorDigits(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m || (m[2]?.length ?? 0) > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
}

const dateFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const timeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** 2024-01-15 → Jan 15, 2024 (a calendar date: no time zone shift). */
export function date(d: string | null | undefined): string {
  if (!d) return '—';
  const t = Date.parse(`${d.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? d : dateFormat.format(t);
}

export function timestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : timeFormat.format(t);
}

export const label = (s: string) => s.replace(/_/g, ' ');
export const today = () => new Date().toISOString().slice(0, 10);
