import { describe, expect, it } from 'vitest';
import { at, borrower, deps } from '../../../../../test/support/compliance/rules.js';
import type { CallRecord } from '../context.js';
import { regFCallFrequency, regFCallFrequencyConfig } from './reg-f-call-frequency.js';

const config = regFCallFrequencyConfig.parse({});
const ZONE = 'America/Chicago';
// 15:00 UTC is 10:00 in Chicago (CDT) in June.
const call = (day: string, more: Partial<CallRecord> = {}): CallRecord => ({
  at: new Date(`2024-06-${day}T15:00:00Z`),
  debtId: 'L1',
  conversation: false,
  ...more,
});
const place = (sendAt: string, history: CallRecord[]) =>
  regFCallFrequency.evaluate(
    at('message_send', {
      borrower: borrower({ timeZones: [ZONE] }),
      message: {
        channel: 'call',
        purpose: 'collection',
        sendAt: new Date(sendAt),
        debtId: 'L1',
        callHistory: history,
      },
    }),
    config,
    deps,
  );

describe('reg_f_call_frequency', () => {
  const six = ['04', '05', '06', '07', '08', '09'].map((day) => call(day));

  it('allows the 7th attempt in 7 days and blocks the 8th', () => {
    const seventh = place('2024-06-10T15:00:00Z', six);
    expect(seventh.outcome).toBe('pass');
    expect(seventh.facts).toMatchObject({ attempts_in_window: 6, window_start: '2024-06-04' });
    const eighth = place('2024-06-10T18:00:00Z', [...six, call('10')]);
    expect(eighth.outcome).toBe('block');
  });

  it('lets the window slide: a call 7 days later falls out of it', () => {
    // Seven calls on 06-04..06-10; on 06-11 the window is 06-05..06-11 and holds six.
    const seven = [...six, call('10')];
    expect(place('2024-06-11T15:00:00Z', seven).outcome).toBe('pass');
  });

  it('counts calendar days in the borrower zone', () => {
    // 04:30 UTC on 06-11 is 23:30 on 06-10 in Chicago: still inside the window with the seven calls.
    expect(place('2024-06-11T04:30:00Z', [...six, call('10')]).outcome).toBe('block');
  });

  it('counts per debt and skips excluded attempts', () => {
    const otherDebt = [...six, call('10', { debtId: 'L2' })];
    expect(place('2024-06-10T18:00:00Z', otherDebt).outcome).toBe('pass');
    const excluded = [...six, call('10', { excluded: true })];
    expect(place('2024-06-10T18:00:00Z', excluded).outcome).toBe('pass');
  });

  it('blocks calls for 7 days after a conversation, the conversation day being the first', () => {
    const talked = [call('03', { conversation: true })];
    expect(place('2024-06-03T18:00:00Z', talked).outcome).toBe('block');
    const sixth = place('2024-06-09T15:00:00Z', talked);
    expect(sixth.outcome).toBe('block');
    expect(sixth.reasons).toEqual([
      'a telephone conversation about this debt on 2024-06-03: no call until 2024-06-10',
    ]);
    expect(place('2024-06-10T15:00:00Z', talked).outcome).toBe('pass');
  });

  it('ignores e-mails and non-collection calls', () => {
    const ctx = at('message_send', {
      borrower: borrower(),
      message: { channel: 'email', purpose: 'collection', sendAt: new Date(), debtId: 'L1', callHistory: [] },
    });
    expect(regFCallFrequency.evaluate(ctx, config, deps).outcome).toBe('pass');
  });
});
