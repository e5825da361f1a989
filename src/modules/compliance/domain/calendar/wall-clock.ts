import { type CalendarDate, fromParts } from '../../../../kernel/dates.js';

/** The date and time a clock on the wall shows in an IANA time zone at an instant (Intl does the DST). */
export interface WallClock {
  date: CalendarDate;
  hour: number;
  minute: number;
  second: number;
  /** Seconds since local midnight. */
  secondOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    // Throws RangeError for a zone Intl does not know: callers check with isTimeZone first.
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)!.value);
  const hour = get('hour');
  const minute = get('minute');
  const second = get('second');
  return {
    date: fromParts(get('year'), get('month'), get('day')),
    hour,
    minute,
    second,
    secondOfDay: hour * 3600 + minute * 60 + second,
  };
}
