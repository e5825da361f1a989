import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { Client } from '@sendgrid/client';
import defaultMail, { MailService } from '@sendgrid/mail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../shared/server.js';
import {
  type SendGridSimulator,
  SIGNATURE_HEADER,
  startSendGridSimulator,
  TIMESTAMP_HEADER,
} from './index.js';

// The official SDK against the simulator, through a client of its own (never the SDK's global key), and the
// Event Webhook checked the way a tenant would: ECDSA over timestamp + raw body with the configured public key.

let sim: SendGridSimulator;
let receiver: SimServer;

beforeAll(async () => {
  receiver = await startSimServer([
    { method: 'POST', path: '/hooks/sendgrid', handler: () => ({ status: 200 }) },
  ]);
  sim = await startSendGridSimulator({ eventWebhookUrl: `${receiver.url}/hooks/sendgrid` });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  sim.clearFaults();
  receiver.requests.splice(0);
});

/** A mail service with its own client; setApiKey resets the base URL, so the URL is set after it. */
function mailer(target: SendGridSimulator = sim, apiKey = target.apiKey, timeoutMs?: number): MailService {
  const client = new Client();
  client.setApiKey(apiKey);
  client.setDefaultRequest('baseUrl', target.url);
  const mail = new MailService();
  mail.setClient(client);
  if (timeoutMs) mail.setTimeout(timeoutMs);
  return mail;
}

/** What a tenant's verifier does; the production one comes with the communications module. */
function verify(publicKey: string, rawBody: string, signature: string, timestamp: string): boolean {
  const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  return createVerify('sha256')
    .update(timestamp + rawBody)
    .verify(key, Buffer.from(signature, 'base64'));
}

const message = {
  to: [{ email: 'borrower@example.com', name: 'Bo Rower' }],
  cc: 'cosigner@example.com',
  from: { email: 'servicing@lender.example', name: 'Servicing' },
  subject: 'Your payment receipt',
  text: 'We received 125.00 USD.',
  html: '<p>We received <b>125.00 USD</b>.</p>',
  attachments: [
    {
      content: Buffer.from('%PDF-1.7 receipt').toString('base64'),
      filename: 'receipt.pdf',
      type: 'application/pdf',
    },
  ],
  customArgs: { plinth_message_id: 'msg_123', tenant: 't_1' },
  categories: ['receipt'],
  headers: { 'X-Plinth-Message': 'msg_123' },
};

async function rejection(
  p: Promise<unknown>,
): Promise<{ code: number; body: { errors: Record<string, unknown>[] } }> {
  const e = (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as { code: number; response: { body: { errors: Record<string, unknown>[] } } } | undefined;
  if (!e) throw new Error('expected a rejection');
  return { code: e.code, body: e.response.body };
}

describe('SendGrid simulator through @sendgrid/mail', () => {
  it('accepts a message with both bodies, an attachment and custom args, answering 202 with X-Message-Id', async () => {
    const [res] = await mailer().send(message);
    expect(res.statusCode).toBe(202);
    const id = res.headers['x-message-id'] as string;
    expect(id).toMatch(/^[A-Za-z0-9]{22}$/);
    const stored = sim.message(id)!;
    expect(stored.request).toMatchObject({
      from: { email: 'servicing@lender.example', name: 'Servicing' },
      subject: 'Your payment receipt',
      content: [
        { type: 'text/plain', value: 'We received 125.00 USD.' },
        { type: 'text/html', value: '<p>We received <b>125.00 USD</b>.</p>' },
      ],
      attachments: [{ filename: 'receipt.pdf', type: 'application/pdf' }],
      headers: { 'X-Plinth-Message': 'msg_123' },
    });
    expect(stored.recipients.map((r) => [r.email, r.kind])).toEqual([
      ['borrower@example.com', 'to'],
      ['cosigner@example.com', 'cc'],
    ]);
    expect(sim.requests.at(-1)!.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
  });

  it('leaves the SDK singleton untouched (no global key, default base URL)', async () => {
    await mailer().send(message);
    const singleton = (
      defaultMail as unknown as { client: Client & { auth: string; defaultRequest: { baseUrl: string } } }
    ).client;
    expect(singleton.auth).toBe('');
    expect(singleton.defaultRequest.baseUrl).toBe('https://api.sendgrid.com/');
  });

  it('refuses an unknown key with 401 in SendGrid’s error shape', async () => {
    const { code, body } = await rejection(mailer(sim, 'SG.wrong.key').send(message));
    expect(code).toBe(401);
    expect(body).toEqual({
      errors: [
        {
          message: 'The provided authorization grant is invalid, expired, or revoked',
          field: null,
          help: null,
        },
      ],
    });
  });

  it('reports every validation problem with its field and help link', async () => {
    const client = new Client();
    client.setApiKey(sim.apiKey);
    client.setDefaultRequest('baseUrl', sim.url);
    const { code, body } = await rejection(
      client.request({
        method: 'POST',
        url: '/v3/mail/send',
        body: {
          personalizations: [
            {
              to: [{ email: 'not-an-address' }, { email: 'a@example.com' }],
              cc: [{ email: 'A@example.com' }],
            },
          ],
          from: { email: 'x@' },
          content: [
            { type: 'text/html', value: '<p>x</p>' },
            { type: 'text/plain', value: 'x' },
          ],
          attachments: [{ content: 'not base64!', filename: '' }],
        },
      }),
    );
    expect(code).toBe(400);
    expect(body.errors.map((e) => e.field)).toEqual([
      'personalizations.0.to.0.email',
      'personalizations.0',
      'from.email',
      'subject',
      'content',
      'attachments.0.content',
      'attachments.0.filename',
    ]);
    expect(body.errors[0]).toEqual({
      message: 'Does not contain a valid address.',
      field: 'personalizations.0.to.0.email',
      help: 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to',
    });
  });

  it('answers 413 past the size limit, 429 with Retry-After, 5xx, and slow or silent answers', async () => {
    const small = await startSendGridSimulator({ maxRequestBytes: 2000 });
    const big = { ...message, html: `<p>${'x'.repeat(5000)}</p>` };
    expect((await rejection(mailer(small).send(big))).code).toBe(413);
    await small.close();

    sim.rateLimit({ retryAfter: 7 });
    const limited = await mailer()
      .send(message)
      .catch((e: { code: number; response: { headers: Record<string, string> } }) => e);
    expect(limited).toMatchObject({ code: 429, response: { headers: { 'retry-after': '7' } } });
    sim.failWith({ status: 503 });
    expect((await rejection(mailer().send(message))).code).toBe(503);

    sim.slow({ delayMs: 150 });
    const started = Date.now();
    expect((await mailer().send(message))[0].statusCode).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sim.hang();
    await expect(mailer(sim, sim.apiKey, 200).send(message)).rejects.toThrow(/timeout/);
  });

  it('answers 200 without sending in sandbox mode', async () => {
    const before = sim.messages.length;
    const [res] = await mailer().send({ ...message, mailSettings: { sandboxMode: { enable: true } } });
    expect(res.statusCode).toBe(200);
    expect(sim.messages.length).toBe(before);
  });
});

describe('SendGrid Event Webhook', () => {
  it('posts signed batches that verify with the public key, carrying custom args and the message id', async () => {
    const [res] = await mailer().send(message);
    const id = res.headers['x-message-id'] as string;
    const delivery = await sim.emit(id, [
      { event: 'processed' },
      { event: 'delivered' },
      { event: 'bounce', email: 'cosigner@example.com' },
    ]);
    expect(delivery.status).toBe(200);
    const req = receiver.requests.at(-1)!;
    const sig = req.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    const ts = req.headers[TIMESTAMP_HEADER.toLowerCase()] as string;
    expect(verify(sim.publicKey, req.body, sig, ts)).toBe(true);
    expect(req.body.endsWith('\r\n')).toBe(true);
    const events = JSON.parse(req.body) as Record<string, unknown>[];
    expect(events.map((e) => [e.event, e.email])).toEqual([
      ['processed', 'borrower@example.com'],
      ['delivered', 'borrower@example.com'],
      ['bounce', 'cosigner@example.com'],
    ]);
    for (const e of events) {
      expect(String(e.sg_message_id).split('.')[0]).toBe(id);
      expect(e).toMatchObject({ plinth_message_id: 'msg_123', tenant: 't_1', category: 'receipt' });
    }
    expect(events[2]).toMatchObject({
      type: 'bounce',
      status: '5.1.1',
      bounce_classification: 'Invalid Address',
    });
  });

  it('sends the same batch twice and in any order, when a test asks', async () => {
    const [res] = await mailer().send(message);
    const id = res.headers['x-message-id'] as string;
    const [processed, delivered] = sim.buildEvents(id, [{ event: 'processed' }, { event: 'delivered' }]);
    await sim.sendEvents([delivered!]);
    await sim.sendEvents([processed!]);
    await sim.sendEvents([delivered!]);
    const received = receiver.requests.map(
      (r) => (JSON.parse(r.body) as { event: string; sg_event_id: string }[])[0]!,
    );
    expect(received.map((e) => e.event)).toEqual(['delivered', 'processed', 'delivered']);
    expect(received[0]!.sg_event_id).toBe(received[2]!.sg_event_id);
  });

  it.each([
    'tampered',
    'wrong_secret',
  ] as const)('sends a %s signature that fails verification', async (mode) => {
    const [res] = await mailer().send(message);
    await sim.emit(res.headers['x-message-id'] as string, { event: 'delivered' }, { signature: mode });
    const req = receiver.requests.at(-1)!;
    const h = (name: string) => req.headers[name.toLowerCase()] as string;
    expect(verify(sim.publicKey, req.body, h(SIGNATURE_HEADER), h(TIMESTAMP_HEADER))).toBe(false);
  });

  it('signs stale timestamps and omits headers when asked', async () => {
    const [res] = await mailer().send(message);
    const id = res.headers['x-message-id'] as string;
    await sim.emit(id, { event: 'open' }, { signature: 'stale' });
    const stale = receiver.requests.at(-1)!;
    const ts = Number(stale.headers[TIMESTAMP_HEADER.toLowerCase()]);
    expect(Date.now() / 1000 - ts).toBeGreaterThan(3500);
    await sim.emit(id, { event: 'open' }, { signature: 'missing' });
    expect(receiver.requests.at(-1)!.headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
  });

  it('signs with a given key, so the verification key survives a restart', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const [a, b] = [
      await startSendGridSimulator({ eventSigningKeyPem: pem }),
      await startSendGridSimulator({ eventSigningKeyPem: pem }),
    ];
    expect(a.publicKey).toBe(b.publicKey);
    expect(a.publicKey).not.toBe(sim.publicKey);
    await Promise.all([a.close(), b.close()]);
  });

  it('runs the lifecycle on its own, dropping suppressed recipients with SendGrid’s reason', async () => {
    const auto = await startSendGridSimulator({
      eventWebhookUrl: `${receiver.url}/hooks/sendgrid`,
      lifecycle: 'auto',
    });
    auto.suppress('cosigner@example.com', 'Unsubscribed Address');
    await mailer(auto).send(message);
    await expect.poll(() => auto.webhookDeliveries.length).toBe(2);
    const batches = auto.webhookDeliveries.map((d) => JSON.parse(d.body) as Record<string, unknown>[]);
    expect(batches[0]!.map((e) => [e.event, e.email, e.reason])).toEqual([
      ['processed', 'borrower@example.com', undefined],
      ['dropped', 'cosigner@example.com', 'Unsubscribed Address'],
    ]);
    expect(batches[1]!.map((e) => [e.event, e.email])).toEqual([['delivered', 'borrower@example.com']]);
    await auto.close();
  });
});
