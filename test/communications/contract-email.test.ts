import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SendGridSimulator, startSendGridSimulator } from '../../sandbox/simulators/sendgrid/index.js';
import { ProviderError } from '../../src/kernel/errors.js';
import { createLogger } from '../../src/kernel/logging.js';
import { EMAIL_PROVIDERS, type EmailProvider } from '../../src/modules/communications/index.js';
import { type SmtpTestServer, startSmtpServer } from '../support/smtp-server.js';

// The email contract, run against every provider of it: SendGrid (the official SDK against the simulator) and
// SMTP (nodemailer against a real SMTP server on loopback, STARTTLS and AUTH, the received MIME parsed).
const deps = { logger: createLogger('silent'), now: () => new Date() };
const definition = (key: string) => EMAIL_PROVIDERS.find((d) => d.key === key)!;
const make = (key: string, config: Record<string, unknown>): EmailProvider =>
  definition(key).create(definition(key).configSchema.parse(config), deps);

let sendgrid: SendGridSimulator;
let smtp: SmtpTestServer;
beforeAll(async () => {
  [sendgrid, smtp] = await Promise.all([
    startSendGridSimulator(),
    startSmtpServer({ starttls: true, auth: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([sendgrid.close(), smtp.stop()]);
});

/** What the vendor received, as the contract checks it. */
interface Received {
  to: string;
  toName: string | undefined;
  from: { email: string; name: string | undefined };
  /** The message's extra MIME headers, by lower-case name. */
  header(name: string): string | undefined;
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  plinthMessageId: string | undefined;
}

interface Case {
  key: string;
  provider(): EmailProvider;
  received(providerMessageId: string): Promise<Received>;
  /** Makes the vendor refuse the next message permanently (a bad or refused recipient). */
  refuseNext(to: string): void;
  /** Makes the next send fail transiently. */
  failNextTransiently(): void;
}

const cases: Case[] = [
  {
    key: 'sendgrid',
    provider: () =>
      make('sendgrid', {
        api_key: sendgrid.apiKey,
        from_email: 'loans@plinth.example',
        from_name: 'Plinth Lending',
        base_url: sendgrid.url,
        event_webhook_public_key: sendgrid.publicKey,
      }),
    async received(id) {
      const m = sendgrid.message(id)!;
      const req = m.request as {
        personalizations: { to: { email: string; name?: string }[]; custom_args?: Record<string, string> }[];
        from: { email: string; name?: string };
        headers?: Record<string, string>;
        subject: string;
        content: { type: string; value: string }[];
        attachments?: { filename: string; type: string; content: string }[];
        custom_args?: Record<string, string>;
      };
      return {
        to: req.personalizations[0]!.to[0]!.email,
        toName: req.personalizations[0]!.to[0]!.name,
        from: { email: req.from.email, name: req.from.name },
        header: (name) => Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1],
        subject: req.subject,
        text: req.content.find((c) => c.type === 'text/plain')!.value,
        html: req.content.find((c) => c.type === 'text/html')!.value,
        attachments: (req.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.type,
          content: Buffer.from(a.content, 'base64'),
        })),
        plinthMessageId:
          req.custom_args?.plinth_message_id ?? req.personalizations[0]!.custom_args?.plinth_message_id,
      };
    },
    refuseNext: () => undefined, // SendGrid refuses malformed addresses at the API (see below)
    failNextTransiently: () => sendgrid.failWith({ status: 503 }),
  },
  {
    key: 'smtp',
    provider: () =>
      make('smtp', {
        host: smtp.host,
        port: smtp.port,
        secure: false,
        require_tls: true,
        username: smtp.user,
        password: smtp.pass,
        from_email: 'loans@plinth.example',
        from_name: 'Plinth Lending',
        tls_ca: smtp.ca,
        tls_servername: 'localhost',
        timeout_ms: 5000,
      }),
    async received(id) {
      const mail = smtp.messages.find((m) => m.parsed.messageId === id)!;
      expect(mail.secure).toBe(true); // upgraded with STARTTLS before any data
      expect(mail.user).toBe(smtp.user);
      const p = mail.parsed;
      return {
        to: mail.envelope.to[0]!,
        toName: (Array.isArray(p.to) ? p.to[0] : p.to)?.value[0]?.name,
        from: { email: p.from!.value[0]!.address!, name: p.from!.value[0]!.name },
        header: (name) => p.headers.get(name) as string | undefined,
        subject: p.subject ?? '',
        text: p.text ?? '',
        html: typeof p.html === 'string' ? p.html : '',
        attachments: p.attachments.map((a) => ({
          filename: a.filename ?? '',
          contentType: a.contentType,
          content: a.content,
        })),
        plinthMessageId: p.headers.get('x-plinth-message-id') as string | undefined,
      };
    },
    refuseNext: (to) => smtp.failRecipient(to),
    failNextTransiently: () => smtp.failNextMessage({ code: 451 }),
  },
];

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => new Error('expected a failure'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe.each(cases)('email contract: $key', (c) => {
  it('sends both bodies, the attachments and Plinth’s message id', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% receipt\n%%EOF\n');
    const receipt = await c.provider().sendEmail({
      messageId: '0190f0c8-0000-7000-8000-000000000001',
      to: { email: 'ada@example.com', name: 'Ada Borrower' },
      subject: 'Your payment of $438.17 was received',
      html: '<p>Thank you, <strong>Ada</strong>.</p>',
      text: 'Thank you, Ada.',
      attachments: [{ filename: 'receipt.pdf', contentType: 'application/pdf', content: pdf }],
      headers: { 'X-Plinth-Template': 'payment_receipt' },
    });
    expect(receipt.providerMessageId).toBeTruthy();
    const got = await (c.key === 'smtp'
      ? smtp.waitForMessages(1).then(() => c.received(receipt.providerMessageId))
      : c.received(receipt.providerMessageId));
    expect(got.to).toBe('ada@example.com');
    expect(got.toName).toBe('Ada Borrower');
    expect(got.from).toEqual({ email: 'loans@plinth.example', name: 'Plinth Lending' });
    expect(got.header('x-plinth-template')).toBe('payment_receipt');
    expect(got.subject).toBe('Your payment of $438.17 was received');
    expect(got.html).toContain('<strong>Ada</strong>');
    expect(got.text.trim()).toBe('Thank you, Ada.');
    expect(got.attachments).toHaveLength(1);
    expect(got.attachments[0]).toMatchObject({ filename: 'receipt.pdf', contentType: 'application/pdf' });
    expect(got.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(got.plinthMessageId).toBe('0190f0c8-0000-7000-8000-000000000001');
  });

  it('reports a transient failure as transient (the outbox retries it)', async () => {
    c.failNextTransiently();
    const e = await providerError(
      c.provider().sendEmail({
        messageId: '0190f0c8-0000-7000-8000-000000000002',
        to: { email: 'ada@example.com' },
        subject: 's',
        html: '<p>h</p>',
        text: 't',
      }),
    );
    expect(e.transient).toBe(true);
  });

  it('reports a refused recipient as rejected, with the vendor’s reason', async () => {
    const to = c.key === 'smtp' ? 'nobody@example.com' : 'not-an-address';
    c.refuseNext(to);
    const e = await providerError(
      c.provider().sendEmail({
        messageId: '0190f0c8-0000-7000-8000-000000000003',
        to: { email: to },
        subject: 's',
        html: '<p>h</p>',
        text: 't',
      }),
    );
    expect(e.kind).toBe('rejected');
    expect(e.message.length).toBeGreaterThan(0);
  });
});

describe('email contract: authentication', () => {
  it('SendGrid: a wrong key is an authentication error', async () => {
    const p = make('sendgrid', {
      api_key: 'SG.wrong-key-000000',
      from_email: 'a@plinth.example',
      base_url: sendgrid.url,
    });
    const e = await providerError(
      p.sendEmail({ messageId: 'x', to: { email: 'a@example.com' }, subject: 's', html: 'h', text: 't' }),
    );
    expect(e.kind).toBe('authentication');
  });
  it('SMTP: a wrong password is an authentication error', async () => {
    const p = make('smtp', {
      host: smtp.host,
      port: smtp.port,
      username: smtp.user,
      password: 'wrong-password',
      from_email: 'a@plinth.example',
      tls_ca: smtp.ca,
      tls_servername: 'localhost',
    });
    const e = await providerError(
      p.sendEmail({ messageId: 'x', to: { email: 'a@example.com' }, subject: 's', html: 'h', text: 't' }),
    );
    expect(e.kind).toBe('authentication');
  });
});
