import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommsHarness,
  type CommsTenant,
  commsTenant,
  late,
  reminder,
  startCommsHarness,
  waitForMessage,
} from './harness.js';

// Compliance's message_send rules as the outbox's pre-send hook: a collection message outside the borrower's
// contact hours waits (Regulation F), a servicing message goes, and each evaluation is stored on the message.
let h: CommsHarness;
let tenant: CommsTenant;
beforeAll(async () => {
  h = await startCommsHarness();
  tenant = await commsTenant(h, 'contact hours');
  const rule = await h.t.call('POST', '/v1/provider-configs', {
    key: tenant.key,
    body: {
      label: 'reg f',
      service_type: 'compliance_rule',
      provider_key: 'reg_f_contact_hours',
      config: {},
    },
  });
  expect(rule.statusCode, rule.body).toBe(201);
}, 120_000);
afterAll(() => h.close());

/** A fixed-offset zone whose local hour is `hour` now (Etc/GMT-N is UTC+N). */
function zoneAt(hour: number): string {
  let offset = (hour - new Date().getUTCHours() + 24) % 24;
  if (offset > 12) offset -= 24;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

async function customerIn(zone: string): Promise<string> {
  const r = await h.t.call('POST', '/v1/customers', {
    key: tenant.key,
    body: { legal_name: 'Night Owl', email: 'owl@example.com', time_zone: zone },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

const send = (customerId: string, template: string, variables: Record<string, unknown>) =>
  h.t.call('POST', '/v1/messages', {
    key: tenant.key,
    body: {
      channel: 'email',
      template,
      customer_id: customerId,
      variables: { ...variables, customer: { name: 'N' } },
    },
  });

describe('the compliance pre-send hook', () => {
  it('defers a late notice at 3 a.m. local time and sends a payment reminder; both checks are stored', async () => {
    const night = await customerIn(zoneAt(3));
    const notice = await send(night, 'late_notice', late);
    const reminded = await send(night, 'payment_reminder', reminder);
    expect(notice.statusCode, notice.body).toBe(201);
    expect(reminded.statusCode, reminded.body).toBe(201);
    await waitForMessage(h, tenant.key, reminded.json().id, (m) => m.status === 'delivered');
    const waiting = await waitForMessage(h, tenant.key, notice.json().id, (m) =>
      (m as unknown as { events: { source: string }[] }).events.some((e) => e.source === 'hook'),
    );
    expect(waiting.status).toBe('queued');
    expect(waiting.attempts).toBe(0);
    expect(waiting.events.at(-1)?.reason).toContain('reg_f_contact_hours');

    const checks = (
      await h.t.call('GET', '/v1/compliance/checks?hook=message_send', { key: tenant.key })
    ).json().data as { subject_id: string; outcome: string }[];
    expect(checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject_id: notice.json().id, outcome: 'block' }),
        expect.objectContaining({ subject_id: reminded.json().id, outcome: 'pass' }),
      ]),
    );
  });

  it('sends a late notice at noon local time', async () => {
    const day = await customerIn(zoneAt(12));
    const notice = await send(day, 'late_notice', late);
    expect(notice.statusCode, notice.body).toBe(201);
    await waitForMessage(h, tenant.key, notice.json().id, (m) => m.status === 'delivered');
  });
});
