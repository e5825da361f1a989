import { sql } from 'drizzle-orm';
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

// The outbox end to end: POST /v1/messages, the dispatch worker on the job queue, the SendGrid, Twilio and Lob
// simulators (official SDKs pointed at them) walking each message through its lifecycle and posting signed
// events back to Plinth's webhook routes.
let h: CommsHarness;
let tenant: CommsTenant;
beforeAll(async () => {
  h = await startCommsHarness();
  tenant = await commsTenant(h);
});
afterAll(() => h.close());

const send = (body: Record<string, unknown>, key = tenant.key, headers?: Record<string, string>) =>
  h.t.call('POST', '/v1/messages', { key, body, headers });

describe('sending', () => {
  it('e-mails a customer through SendGrid and follows the signed events to delivered', async () => {
    const r = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      status: 'queued',
      recipient: { email: 'ada@example.com' },
      provider_key: 'sendgrid',
    });
    expect(r.json().content.subject).toBe('Your payment of $438.17 is due April 2, 2026');
    const m = await waitForMessage(h, tenant.key, r.json().id, (x) => x.status === 'delivered');
    expect(m.events.map((e) => `${e.status}/${e.source}`)).toEqual(
      expect.arrayContaining(['queued/api', 'sent/dispatch', 'delivered/webhook']),
    );
    const sent = h.sendgrid.message(m.provider_message_id!)!;
    expect(sent.request).toMatchObject({ from: { email: 'loans@plinth.example' } });
  });

  it('texts through Twilio (status callback to Plinth) and mails a letter through Lob, stored as a document', async () => {
    const sms = await send({
      channel: 'sms',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
    });
    expect(sms.statusCode).toBe(201);
    const letter = await send({
      channel: 'letter',
      template: 'late_notice',
      customer_id: tenant.customerId,
      variables: late,
    });
    expect(letter.statusCode, letter.body).toBe(201);
    expect(letter.json().document_id).toBeTruthy();
    const s = await waitForMessage(h, tenant.key, sms.json().id, (x) => x.status === 'delivered');
    expect(h.twilio.message(s.provider_message_id!)!.body).toContain('$438.17');
    const l = await waitForMessage(h, tenant.key, letter.json().id, (x) => x.status === 'delivered');
    const doc = (await h.t.call('GET', `/v1/documents/${l.document_id}`, { key: tenant.key })).json();
    expect(doc).toMatchObject({
      kind: 'notice',
      content_type: 'application/pdf',
      status: 'stored',
      owner_type: 'customer',
    });
    const mailed = h.lob.letter(l.provider_message_id!)!;
    expect(mailed.pdf!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(mailed.pdf!.byteLength).toBe(doc.size);
  });

  it('answers the first message again for a repeated Idempotency-Key', async () => {
    const body = {
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
    };
    const a = await send(body, tenant.key, { 'idempotency-key': 'reminder-1' });
    const b = await send(body, tenant.key, { 'idempotency-key': 'reminder-1' });
    expect(b.json().id).toBe(a.json().id);
    const other = await send({ ...body, channel: 'sms' }, tenant.key, { 'idempotency-key': 'reminder-1' });
    expect(other.statusCode).toBe(422);
  });
});

describe('attachments', () => {
  const store = (bytes: Uint8Array, filename: string) =>
    h.t.ctx.documents.documents.store(
      { tenantId: tenant.id, actor: { type: 'system', id: null } },
      {
        owner: { type: 'customer', id: tenant.customerId },
        kind: 'statement',
        filename,
        contentType: 'application/pdf',
        bytes,
      },
    );

  it('carries stored documents on an e-mail, and refuses them past the limit (413) or unknown (422)', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% statement\n%%EOF\n');
    const doc = await store(pdf, 'statement.pdf');
    if (!doc.ok) throw new Error(doc.error.message);
    const r = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
      attachments: [doc.value.id],
    });
    expect(r.statusCode).toBe(201);
    const m = await waitForMessage(h, tenant.key, r.json().id, (x) => x.status === 'delivered');
    const sent = h.sendgrid.message(m.provider_message_id!)!.request as {
      attachments: { filename: string; content: string }[];
    };
    expect(sent.attachments).toEqual([
      expect.objectContaining({ filename: 'statement.pdf', content: pdf.toString('base64') }),
    ]);

    const big = await store(new Uint8Array(10 * 1024 * 1024 + 1), 'big.pdf');
    if (!big.ok) throw new Error(big.error.message);
    const tooBig = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
      attachments: [big.value.id],
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().errors[0].path).toBe('attachments');
    const unknown = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
      attachments: ['0190f0c8-0000-7000-8000-000000000009'],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].path).toBe('attachments.0');
  });
});

describe('bad input', () => {
  it('refuses an invalid e-mail address and a number that is not E.164 with 422 naming the field', async () => {
    const email = await send({
      channel: 'email',
      template: 'payment_reminder',
      to: { email: 'ada@' },
      variables: reminder,
    });
    expect(email.statusCode).toBe(422);
    expect(email.headers['content-type']).toContain('application/problem+json');
    expect(email.json().errors).toEqual([expect.objectContaining({ path: 'to.email' })]);
    const sms = await send({
      channel: 'sms',
      template: 'payment_reminder',
      to: { phone: '512-555-0100' },
      variables: reminder,
    });
    expect(sms.statusCode).toBe(422);
    expect(sms.json().errors).toEqual([expect.objectContaining({ path: 'to.phone' })]);
  });

  it('names every missing template variable, and writes nothing', async () => {
    const before = (await h.t.call('GET', '/v1/messages?limit=200', { key: tenant.key })).json().data.length;
    const r = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: { currency: 'USD' },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      code: 'missing_template_variables',
      missing_variables: [
        'loan.reference',
        'payment.amount_due',
        'payment.days_until_due',
        'payment.due_date',
      ],
    });
    expect(r.json().errors.map((f: { path: string }) => f.path)).toContain('variables.payment.amount_due');
    const after = (await h.t.call('GET', '/v1/messages?limit=200', { key: tenant.key })).json().data.length;
    expect(after).toBe(before);
  });

  it('answers 404 for another tenant’s message, and 422 for another tenant’s customer', async () => {
    const r = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
    });
    const other = await h.t.tenant('other-tenant');
    expect((await h.t.call('GET', `/v1/messages/${r.json().id}`, { key: other.key })).statusCode).toBe(404);
    const theirs = await send(
      { channel: 'email', template: 'payment_reminder', customer_id: tenant.customerId, variables: reminder },
      other.key,
    );
    expect(theirs.statusCode).toBe(422);
    expect(theirs.json().errors[0].path).toBe('customer_id');
  });

  it('stores a message as undeliverable when no provider is configured, and the caller carries on', async () => {
    const bare = await h.t.tenant('no-providers');
    const r = await send(
      {
        channel: 'sms',
        template: 'welcome',
        to: { phone: '+15125550100' },
        variables: {
          currency: 'USD',
          customer: { name: 'A' },
          lender: { name: 'L', address: 'a', phone: 'p', email: 'e' },
          loan: { reference: 'R', amount: 100, disbursed_on: '2026-01-01', next_due_date: null },
        },
      },
      bare.key,
    );
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      status: 'undeliverable',
      status_reason: 'no sms provider is configured',
    });
  });
});

describe('provider outcomes', () => {
  it('retries a transient failure with backoff, then sends once', async () => {
    h.sendgrid.failWith({ status: 503 });
    const r = await send({
      channel: 'email',
      template: 'payment_reminder',
      to: { email: 'retry@example.com' },
      variables: { ...reminder, customer: { name: 'R' } },
    });
    const m = await waitForMessage(h, tenant.key, r.json().id, (x) => x.status === 'delivered', 20_000);
    expect(m.attempts).toBe(2);
    expect(m.events.filter((e) => e.status === 'queued' && e.source === 'dispatch')).toHaveLength(1);
    expect(
      h.sendgrid.messages.filter((x) => x.recipients.some((p) => p.email === 'retry@example.com')),
    ).toHaveLength(1);
  });

  it('fails a message the provider rejects, with the provider’s reason, and does not retry it', async () => {
    h.twilio.optOut('+15125550199');
    const r = await send({
      channel: 'sms',
      template: 'payment_reminder',
      to: { phone: '+15125550199' },
      variables: { ...reminder, customer: { name: 'S' } },
    });
    const m = await waitForMessage(h, tenant.key, r.json().id, (x) => x.status === 'failed');
    expect(m.status_reason).toMatch(/^rejected: /);
    expect(m.attempts).toBe(1);
  });

  it('marks a number that replied STOP as opted out; later messages to it are undeliverable', async () => {
    await h.twilio.sendInbound({ from: '+15125550177', body: 'STOP' });
    const optOuts = (
      await h.t.call('GET', '/v1/communications/opt-outs?channel=sms', { key: tenant.key })
    ).json();
    expect(optOuts.data).toEqual([
      expect.objectContaining({ address: '+15125550177', source: 'twilio.stop' }),
    ]);
    const r = await send({
      channel: 'sms',
      template: 'payment_reminder',
      to: { phone: '+15125550177' },
      variables: { ...reminder, customer: { name: 'S' } },
    });
    expect(r.json()).toMatchObject({ status: 'undeliverable', status_reason: 'recipient_opted_out' });
  });

  it('honours a customer’s contact preferences', async () => {
    const put = await h.t.call('PUT', `/v1/customers/${tenant.customerId}/contact-preferences`, {
      key: tenant.key,
      body: { letter: false },
    });
    expect(put.json()).toEqual({ email: true, sms: true, letter: false });
    const r = await send({
      channel: 'letter',
      template: 'late_notice',
      customer_id: tenant.customerId,
      variables: late,
    });
    expect(r.json()).toMatchObject({ status: 'undeliverable', status_reason: 'customer_opted_out' });
    await h.t.call('PUT', `/v1/customers/${tenant.customerId}/contact-preferences`, {
      key: tenant.key,
      body: { letter: true },
    });
  });
});

describe('pre-send hooks', () => {
  it('lets a rule block a message or defer it (the deferral is not an attempt)', async () => {
    let deferred = false;
    h.t.ctx.communications.addPreSendHook(async (m) => {
      const email = (m.recipient as { email?: string }).email;
      if (email === 'blocked@example.com') return { action: 'block', reason: 'outside contact hours' };
      if (email === 'later@example.com' && !deferred) {
        deferred = true;
        return { action: 'defer', until: new Date(Date.now() + 1000), reason: 'frequency cap' };
      }
      return { action: 'allow' };
    });
    const vars = { ...reminder, customer: { name: 'H' } };
    const blocked = await send({
      channel: 'email',
      template: 'payment_reminder',
      to: { email: 'blocked@example.com' },
      variables: vars,
    });
    const later = await send({
      channel: 'email',
      template: 'payment_reminder',
      to: { email: 'later@example.com' },
      variables: vars,
    });
    const b = await waitForMessage(h, tenant.key, blocked.json().id, (x) => x.status === 'undeliverable');
    expect(b.status_reason).toBe('outside contact hours');
    expect(b.events.at(-1)).toMatchObject({ status: 'undeliverable', source: 'hook' });
    const l = await waitForMessage(h, tenant.key, later.json().id, (x) => x.status === 'delivered', 20_000);
    expect(l.attempts).toBe(1);
    expect(l.events.map((e) => `${e.status}/${e.source}`)).toContain('queued/hook');
  });
});

describe('restarts', () => {
  it('resends a letter left mid-send with its idempotency key (one letter), and fails an e-mail left so', async () => {
    const letter = await send({
      channel: 'letter',
      template: 'late_notice',
      customer_id: tenant.customerId,
      variables: late,
    });
    const email = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
    });
    const l = await waitForMessage(h, tenant.key, letter.json().id, (x) => x.status === 'delivered');
    await waitForMessage(h, tenant.key, email.json().id, (x) => x.status === 'delivered');
    const letters = h.lob.letters.length;
    // As a process that stopped after claiming them would leave them.
    await h.t.ctx.database.db.execute(
      sql`UPDATE messages SET status = 'sending', updated_at = now() - interval '1 hour'
           WHERE tenant_id = ${tenant.id} AND id IN (${l.id}::uuid, ${email.json().id}::uuid)`,
    );
    const worker = h.t.ctx.modules.find((m) => m.name === 'communications')!.workers![0]!;
    await worker.resume!();
    const e = await waitForMessage(h, tenant.key, email.json().id, (x) => x.status === 'failed');
    expect(e.status_reason).toContain('not resent');
    const again = await waitForMessage(h, tenant.key, l.id, (x) => x.status === 'sent');
    expect(again.provider_message_id).toBe(l.provider_message_id);
    expect(h.lob.letters.length).toBe(letters);
  });
});

describe('webhooks', () => {
  it('refuses an unsigned or tampered event (401) and records nothing', async () => {
    const r = await send({
      channel: 'email',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
    });
    const m = await waitForMessage(h, tenant.key, r.json().id, (x) => x.status === 'delivered');
    for (const signature of ['tampered', 'missing', 'stale', 'wrong_secret'] as const) {
      const d = await h.sendgrid.emit(m.provider_message_id!, { event: 'bounce' }, { signature });
      expect(d.status).toBe(401);
    }
    const after = await waitForMessage(h, tenant.key, m.id, () => true);
    expect(after.status).toBe('delivered');
    expect(after.events).toHaveLength(m.events.length);
  });

  it('applies each event once, even delivered twice or out of order', async () => {
    const manual = await startCommsHarness({ lifecycle: 'manual' });
    try {
      const t = await commsTenant(manual, 'manual-events');
      const r = await manual.t.call('POST', '/v1/messages', {
        key: t.key,
        body: { channel: 'letter', template: 'late_notice', customer_id: t.customerId, variables: late },
      });
      const m = await waitForMessage(manual, t.key, r.json().id, (x) => x.status === 'sent');
      const id = m.provider_message_id!;
      const delivered = manual.lob.buildEvent(id, 'letter.delivered');
      const mailed = manual.lob.buildEvent(id, 'letter.mailed');
      for (const e of [delivered, delivered, mailed]) {
        const [d] = await manual.lob.sendEvent(e);
        expect(d!.status).toBe(200);
      }
      const after = await waitForMessage(manual, t.key, m.id, () => true);
      expect(after.status).toBe('delivered');
      const fromWebhooks = after.events.filter((e) => e.source === 'webhook');
      expect(fromWebhooks.map((e) => e.status)).toEqual(['delivered', 'sent']);
      expect(fromWebhooks[1]!.reason).toContain('not applied');
    } finally {
      await manual.close();
    }
  });
});

describe('templates', () => {
  it('lists, previews, overrides per tenant (checked for syntax), and resets', async () => {
    const list = (await h.t.call('GET', '/v1/templates', { key: tenant.key })).json();
    expect(list.data.map((t: { key: string }) => t.key)).toContain('adverse_action_notice');
    const preview = await h.t.call('POST', '/v1/templates/adverse_action_notice/preview', {
      key: tenant.key,
      body: { channel: 'letter' },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().body).toContain('Equal Credit Opportunity Act');
    const pdf = await h.t.call('POST', '/v1/templates/payoff_letter/preview?format=pdf', {
      key: tenant.key,
      body: { channel: 'letter' },
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const broken = await h.t.call('PUT', '/v1/templates/welcome', {
      key: tenant.key,
      body: { sms: { body: 'Hi {{#customer}}' } },
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().errors[0].path).toBe('sms.body');
    const put = await h.t.call('PUT', '/v1/templates/payment_reminder', {
      key: tenant.key,
      body: {
        sms: { body: '{{lender.name}}: {{payment.amount_due | money}} due {{payment.due_date | date}}' },
      },
    });
    expect(put.json().overridden_channels).toEqual(['sms']);
    const r = await send({
      channel: 'sms',
      template: 'payment_reminder',
      customer_id: tenant.customerId,
      variables: reminder,
    });
    expect(r.json().content.body).toBe('Plinth Lending: $438.17 due April 2, 2026');
    const other = await h.t.tenant('templates-other');
    const theirs = (await h.t.call('GET', '/v1/templates/payment_reminder', { key: other.key })).json();
    expect(theirs.overridden_channels).toEqual([]);
    const reset = await h.t.call('DELETE', '/v1/templates/payment_reminder', { key: tenant.key });
    expect(reset.json().overridden_channels).toEqual([]);
  });
});
