import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installmentTerms } from '../lending/fixtures.js';
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

const send = (customerId: string, template: string, variables: Record<string, unknown>, loanId?: string) =>
  h.t.call('POST', '/v1/messages', {
    key: tenant.key,
    body: {
      channel: 'email',
      template,
      customer_id: customerId,
      ...(loanId && { loan_id: loanId }),
      variables: { ...variables, customer: { name: 'N' } },
    },
  });

async function ok201(r: { statusCode: number; body: string; json(): { id: string } }, status = 201) {
  expect(r.statusCode, r.body).toBe(status);
  return r.json().id;
}

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

  it('checks a message about a loan by the rules its program resolves: a program that switches contact hours off sends at 22:00', async () => {
    const call = (method: 'POST' | 'PUT', url: string, body: unknown) =>
      h.t.call(method, url, { key: tenant.key, body });
    await ok201(await call('PUT', '/v1/business-date', { business_date: '2024-01-15' }), 200);
    const programId = await ok201(
      await call('POST', '/v1/programs', {
        name: 'No contact hours',
        program_type: 'installment_loan',
        terms: installmentTerms(),
      }),
    );
    const off = await call(
      'PUT',
      `/v1/programs/${programId}/provider-set-assignments/compliance_rule/reg_f_contact_hours`,
      { provider_config_id: null },
    );
    expect(off.statusCode, off.body).toBe(200);
    const evening = await customerIn(zoneAt(22));
    const loanId = await ok201(
      await call('POST', '/v1/loans', {
        program_id: programId,
        customer_id: evening,
        principal: 1_200_000,
        disbursement_date: '2024-01-15',
      }),
    );

    const aboutLoan = await send(evening, 'late_notice', late, loanId);
    const tenantOnly = await send(evening, 'late_notice', late);
    expect(aboutLoan.statusCode, aboutLoan.body).toBe(201);
    expect(tenantOnly.statusCode, tenantOnly.body).toBe(201);
    // The program's override leaves no rule listening: the notice about its loan goes at 22:00 local time.
    await waitForMessage(h, tenant.key, aboutLoan.json().id, (m) => m.status === 'delivered');
    // The same notice about no loan is checked by the tenant's configs: reg_f_contact_hours defers it (queued
    // again by the hook; waited for as a whole, since the drain may still hold the claim when the GET reads).
    const waiting = await waitForMessage(
      h,
      tenant.key,
      tenantOnly.json().id,
      (m) =>
        m.status === 'queued' &&
        (m as unknown as { events: { source: string }[] }).events.some((e) => e.source === 'hook'),
    );
    expect(waiting.events.at(-1)?.reason).toContain('reg_f_contact_hours');
    const checks = (
      await h.t.call('GET', '/v1/compliance/checks?hook=message_send', { key: tenant.key })
    ).json().data as { subject_id: string }[];
    expect(checks.some((c) => c.subject_id === aboutLoan.json().id)).toBe(false);
  });
});
