import { describe, expect, it } from 'vitest';
import { at, borrower, deps } from '../../../../../test/support/compliance/rules.js';
import type { MessageFacts } from '../context.js';
import { regFContactHours, regFContactHoursConfig } from './reg-f-contact-hours.js';

const config = regFContactHoursConfig.parse({});
const send = (iso: string, more: Partial<MessageFacts> = {}, zones = ['America/New_York']) =>
  regFContactHours.evaluate(
    at('message_send', {
      borrower: borrower({ timeZones: zones }),
      message: {
        channel: 'call',
        purpose: 'collection',
        sendAt: new Date(iso),
        debtId: 'L1',
        callHistory: [],
        ...more,
      },
    }),
    config,
    deps,
  );

describe('reg_f_contact_hours', () => {
  it('puts 8 a.m. on the right side of the spring DST change (2024-03-10, EDT = UTC-4)', () => {
    expect(send('2024-03-10T11:59:59Z').outcome).toBe('block'); // 07:59:59 EDT
    expect(send('2024-03-10T12:00:00Z').outcome).toBe('pass'); // 08:00 EDT
    // The day before, in EST (UTC-5), 12:00 UTC is still 07:00.
    expect(send('2024-03-09T12:00:00Z').outcome).toBe('block');
    expect(send('2024-03-09T13:00:00Z').outcome).toBe('pass');
  });

  it('puts 9 p.m. on the right side of the autumn DST change (2024-11-03, EST = UTC-5)', () => {
    expect(send('2024-11-04T02:00:00Z').outcome).toBe('pass'); // 21:00:00 EST
    const late = send('2024-11-04T02:00:01Z'); // 21:00:01 EST
    expect(late.outcome).toBe('block');
    expect(late.reasons).toEqual(['21:00 in America/New_York is outside 08:00-21:00 local time']);
    // The evening before, in EDT (UTC-4), 01:00 UTC is already 21:00.
    expect(send('2024-11-03T01:00:00Z').outcome).toBe('pass');
    expect(send('2024-11-03T01:01:00Z').outcome).toBe('block');
  });

  it('needs a convenient time in every zone the borrower may be in', () => {
    // 12:30 UTC: 08:30 in New York, 05:30 in Los Angeles.
    const both = send('2024-06-03T12:30:00Z', {}, ['America/New_York', 'America/Los_Angeles']);
    expect(both.outcome).toBe('block');
    expect(both.reasons).toEqual(['05:30 in America/Los_Angeles is outside 08:00-21:00 local time']);
  });

  it('lets consent, other purposes and letters through, and blocks an unknown zone', () => {
    expect(send('2024-06-03T03:00:00Z', { consumerConsentedToTime: true }).outcome).toBe('pass');
    expect(send('2024-06-03T03:00:00Z', { purpose: 'servicing' }).outcome).toBe('pass');
    expect(send('2024-06-03T03:00:00Z', { channel: 'letter' }).outcome).toBe('pass');
    expect(send('2024-06-03T15:00:00Z', {}, []).outcome).toBe('block');
    expect(send('2024-06-03T15:00:00Z', {}, ['Mars/Olympus']).outcome).toBe('block');
  });
});
