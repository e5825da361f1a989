import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendGridEmail } from './client.js';

// The client skips axios's per-request proxy lookup only when no proxy variable is set; an operator's
// HTTP(S)_PROXY still carries Mail Send. The "proxy" here answers as SendGrid would and records what it was asked.
let proxy: Server;
let proxyUrl: string;
const asked: { url: string; body: string }[] = [];
beforeAll(async () => {
  proxy = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      asked.push({ url: req.url ?? '', body });
      res.writeHead(202, { 'x-message-id': 'via-proxy' }).end();
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => proxy.close(() => r())));

const client = () =>
  new SendGridEmail({
    apiKey: 'SG.test-key-0000000000',
    // Nothing listens here: only a proxy can answer.
    baseUrl: 'http://sendgrid.invalid',
    from: { email: 'loans@plinth.example', name: 'Plinth' },
    replyTo: 'help@plinth.example',
    timeoutMs: 2000,
  });
const message = {
  messageId: 'm1',
  to: { email: 'ada@example.com', name: 'Ada' },
  subject: 'Hello',
  html: '<p>Hi</p>',
  text: 'Hi',
};

describe('SendGridEmail', () => {
  it('goes through HTTP_PROXY when the operator sets one, with the v3 body', async () => {
    const saved = { lower: process.env.http_proxy, upper: process.env.HTTP_PROXY };
    process.env.HTTP_PROXY = proxyUrl;
    try {
      const receipt = await client().sendEmail(message);
      expect(receipt.providerMessageId).toBe('via-proxy');
    } finally {
      if (saved.upper === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved.upper;
    }
    const last = asked.at(-1)!;
    expect(last.url).toBe('http://sendgrid.invalid/v3/mail/send'); // absolute-form: a proxy request
    expect(JSON.parse(last.body)).toEqual({
      personalizations: [{ to: [{ email: 'ada@example.com', name: 'Ada' }] }],
      from: { email: 'loans@plinth.example', name: 'Plinth' },
      reply_to: { email: 'help@plinth.example' },
      subject: 'Hello',
      content: [
        { type: 'text/plain', value: 'Hi' },
        { type: 'text/html', value: '<p>Hi</p>' },
      ],
      custom_args: { plinth_message_id: 'm1' },
    });
  });

  const proxySet = ['https_proxy', 'http_proxy', 'all_proxy'].some(
    (v) => process.env[v] || process.env[v.toUpperCase()],
  );
  it.skipIf(proxySet)('connects directly when no proxy is set', async () => {
    const n = asked.length;
    const e = await client()
      .sendEmail(message)
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).toMatchObject({ kind: 'unavailable' }); // sendgrid.invalid does not resolve
    expect(asked.length).toBe(n);
  });
});
