import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpTestServer, startSmtpServer } from './smtp-server.js';

// nodemailer against a real SMTP server on loopback, as the SMTP e-mail provider will use it: STARTTLS or
// implicit TLS verified against the server's certificate, AUTH, and the MIME checked as it arrived.

let smtp: SmtpTestServer;
let smtps: SmtpTestServer;

beforeAll(async () => {
  smtp = await startSmtpServer({ maxSize: 200_000 });
  smtps = await startSmtpServer({ secure: true });
});
afterAll(async () => {
  await smtp.stop();
  await smtps.stop();
});

const transport = (server: SmtpTestServer, over: Record<string, unknown> = {}) =>
  nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    requireTLS: !server.secure,
    auth: { user: server.user, pass: server.pass },
    tls: { ca: server.ca, servername: 'localhost' },
    ...over,
  });

const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
const receipt = {
  from: '"Plinth Servicing" <servicing@lender.example>',
  to: 'Bo Rower <borrower@example.com>',
  cc: 'cosigner@example.com',
  bcc: 'audit@lender.example',
  replyTo: 'help@lender.example',
  subject: 'Payment received – thank you',
  text: 'We received your payment of $125.00 on 2025-06-01.',
  html: '<p>We received your payment of <b>$125.00</b> on 2025-06-01.</p>',
  attachments: [
    { filename: 'receipt.pdf', content: pdf, contentType: 'application/pdf' },
    { filename: 'notes.txt', content: 'line one\nline two\n' },
  ],
  headers: { 'X-Plinth-Message-Id': 'msg_42', 'X-Plinth-Tenant': 't_1' },
};

async function mailError(p: Promise<unknown>) {
  return (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  )) as { code: string; responseCode?: number; response?: string };
}

describe('test SMTP server through nodemailer', () => {
  it('delivers both bodies, attachments and custom headers intact over STARTTLS with AUTH', async () => {
    const info = await transport(smtp).sendMail(receipt);
    expect(info.accepted).toEqual(['borrower@example.com', 'cosigner@example.com', 'audit@lender.example']);
    const [mail] = await smtp.waitForMessages(1);
    expect(mail!.envelope).toEqual({
      from: 'servicing@lender.example',
      to: ['borrower@example.com', 'cosigner@example.com', 'audit@lender.example'],
    });
    expect(mail!.user).toBe(smtp.user);
    expect(mail!.secure).toBe(true);
    const m = mail!.parsed;
    expect(m.subject).toBe('Payment received – thank you');
    expect(m.text?.trim()).toBe(receipt.text);
    expect(m.html).toBe(receipt.html);
    expect(m.from?.value).toEqual([{ address: 'servicing@lender.example', name: 'Plinth Servicing' }]);
    expect(m.replyTo?.value[0]?.address).toBe('help@lender.example');
    expect(m.headers.get('x-plinth-message-id')).toBe('msg_42');
    expect(m.headers.get('x-plinth-tenant')).toBe('t_1');
    expect(m.headers.has('bcc')).toBe(false);
    expect(m.messageId).toBe(info.messageId);
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['receipt.pdf', 'application/pdf'],
      ['notes.txt', 'text/plain'],
    ]);
    expect(m.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(m.attachments[1]!.content.toString()).toBe('line one\nline two\n');
  });

  it('delivers over implicit TLS', async () => {
    await transport(smtps).sendMail({ ...receipt, bcc: undefined });
    const [mail] = await smtps.waitForMessages(1);
    expect(mail!.secure).toBe(true);
    expect(mail!.parsed.attachments).toHaveLength(2);
  });

  it('refuses bad credentials (535) and a certificate the client does not trust', async () => {
    expect(
      await mailError(transport(smtp, { auth: { user: smtp.user, pass: 'wrong' } }).sendMail(receipt)),
    ).toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
    });
    const untrusted = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      requireTLS: true,
      auth: { user: smtp.user, pass: smtp.pass },
    });
    expect((await mailError(untrusted.sendMail(receipt))).code).toMatch(/ESOCKET|ETLS/);
  });

  it('answers with permanent and transient refusals when told to', async () => {
    const before = smtp.messages.length;
    smtp.failRecipient('gone@example.com');
    expect(
      await mailError(
        transport(smtp).sendMail({ ...receipt, to: 'gone@example.com', cc: undefined, bcc: undefined }),
      ),
    ).toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    smtp.failNextMessage();
    expect(await mailError(transport(smtp).sendMail(receipt))).toMatchObject({
      code: 'EMESSAGE',
      responseCode: 451,
    });
    const big = { ...receipt, attachments: [{ filename: 'big.bin', content: Buffer.alloc(300_000, 7) }] };
    expect(await mailError(transport(smtp).sendMail(big))).toMatchObject({ responseCode: 552 });
    expect(smtp.messages.length).toBe(before);
    await transport(smtp).sendMail(receipt);
    expect(smtp.messages.length).toBe(before + 1);
  });
});
