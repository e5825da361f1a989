import { createHmac, timingSafeEqual } from 'node:crypto';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../shared/server.js';
import { startTwilioSimulator, type TwilioSimulator } from './index.js';

// The official SDK pointed at the simulator without global state: a RequestClient that sends every request to
// the simulator's origin (Twilio builds absolute api.twilio.com URLs), given to this client alone.

class RebasingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string,
    opts?: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(opts);
  }
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const base = new URL(this.baseUrl);
    target.protocol = base.protocol;
    target.host = base.host;
    return super.request<TData>({ ...opts, uri: target.href });
  }
}

let sim: TwilioSimulator;
let receiver: SimServer;
let statusUrl: string;
let inboundUrl: string;

beforeAll(async () => {
  receiver = await startSimServer([
    { method: 'POST', path: '/hooks/status', handler: () => ({ status: 204 }) },
    { method: 'POST', path: '/hooks/inbound', handler: () => ({ status: 200, body: '<Response/>' }) },
  ]);
  statusUrl = `${receiver.url}/hooks/status`;
  inboundUrl = `${receiver.url}/hooks/inbound`;
  sim = await startTwilioSimulator({ numbers: [{ phoneNumber: '+15005550006', smsUrl: inboundUrl }] });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  sim.clearFaults();
  receiver.requests.splice(0);
});

function client(o: { token?: string; timeout?: number; autoRetry?: boolean; target?: TwilioSimulator } = {}) {
  const target = o.target ?? sim;
  const http = new RebasingRequestClient(target.url, {
    timeout: o.timeout,
    autoRetry: o.autoRetry,
    maxRetries: 3,
  });
  return twilio(target.account.accountSid, o.token ?? target.account.authToken, { httpClient: http });
}

/** What a tenant's verifier does: HMAC-SHA1 over URL + sorted name/value pairs, base64, keyed by the auth token. */
function verify(token: string, url: string, rawBody: string, signature: string): boolean {
  const params = new URLSearchParams(rawBody);
  const data = [...params.keys()].sort().reduce((acc, k) => acc + k + params.get(k), url);
  const expected = createHmac('sha1', token).update(data).digest();
  const given = Buffer.from(signature ?? '', 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const send = (body = 'Your payment of $125.00 is due on 2025-07-01.', to = '+15558675310') =>
  client().messages.create({ to, from: '+15005550006', body, statusCallback: statusUrl });

async function restError(p: Promise<unknown>) {
  return (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  )) as { status: number; code: number; moreInfo: string; message: string };
}

describe('Twilio simulator through the twilio SDK', () => {
  it('creates a message and answers with the Message resource', async () => {
    const msg = await send();
    expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(msg).toMatchObject({
      accountSid: sim.account.accountSid,
      to: '+15558675310',
      from: '+15005550006',
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      apiVersion: '2010-04-01',
    });
    const req = sim.requests.at(-1)!;
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(req.body).get('StatusCallback')).toBe(statusUrl);
    expect(sim.message(msg.sid)!.params.Body).toBe('Your payment of $125.00 is due on 2025-07-01.');
  });

  it('also works by overriding one client’s domain base URL', async () => {
    const c = twilio(sim.account.accountSid, sim.account.authToken);
    c.api.baseUrl = sim.url;
    const msg = await c.messages.create({ to: '+15558675310', from: '+15005550006', body: 'hi' });
    expect(msg.status).toBe('queued');
    expect(twilio(sim.account.accountSid, sim.account.authToken).api.baseUrl).toBe('https://api.twilio.com');
  });

  it('fetches the message with its current status', async () => {
    const msg = await send();
    await sim.emitStatus(msg.sid, 'sent');
    await sim.emitStatus(msg.sid, 'undelivered', { errorCode: 30003 });
    const fetched = await client().messages(msg.sid).fetch();
    expect(fetched).toMatchObject({
      status: 'undelivered',
      errorCode: 30003,
      errorMessage: 'Unreachable destination handset',
    });
  });

  it('refuses bad numbers, unsubscribed recipients and bad credentials with Twilio’s codes', async () => {
    expect(await restError(send('x', '5558675310'))).toMatchObject({
      status: 400,
      code: 21211,
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
      message: "The 'To' number 5558675310 is not a valid phone number.",
    });
    expect(await restError(send('x', '+15005550004'))).toMatchObject({ status: 400, code: 21610 });
    expect(await restError(send(''))).toMatchObject({ code: 21602 });
    expect(await restError(send('x'.repeat(1601)))).toMatchObject({ code: 21617 });
    expect(
      await restError(client().messages.create({ to: '+15558675310', from: '+15551112222', body: 'x' })),
    ).toMatchObject({ code: 21606 });
    expect(
      await restError(
        client({ token: 'wrong' }).messages.create({ to: '+15558675310', from: '+15005550006', body: 'x' }),
      ),
    ).toMatchObject({ status: 401, code: 20003 });
  });

  it('answers 429 (the SDK retries it when asked), 5xx and silence', async () => {
    sim.rateLimit({ retryAfter: 1 });
    expect(await restError(send())).toMatchObject({ status: 429, code: 20429 });
    sim.rateLimit({ times: 2 });
    const retried = await client({ autoRetry: true }).messages.create({
      to: '+15558675310',
      from: '+15005550006',
      body: 'x',
    });
    expect(retried.status).toBe('queued');
    sim.failWith({ status: 503 });
    expect(await restError(send())).toMatchObject({ status: 503 });
    sim.hang();
    await expect(
      client({ timeout: 200 }).messages.create({ to: '+15558675310', from: '+15005550006', body: 'x' }),
    ).rejects.toThrow(/timeout/);
  });
});

describe('Twilio webhooks', () => {
  it('posts signed status callbacks in any order and twice, each verifiable with the auth token', async () => {
    const msg = await send();
    await sim.emitStatus(msg.sid, 'delivered');
    await sim.emitStatus(msg.sid, 'sent');
    await sim.emitStatus(msg.sid, 'delivered');
    const got = receiver.requests.map((r) => ({ r, p: new URLSearchParams(r.body) }));
    expect(got.map(({ p }) => p.get('MessageStatus'))).toEqual(['delivered', 'sent', 'delivered']);
    for (const { r, p } of got) {
      const signature = r.headers['x-twilio-signature'] as string;
      expect(verify(sim.account.authToken, statusUrl, r.body, signature)).toBe(true);
      expect(twilio.validateRequest(sim.account.authToken, signature, statusUrl, Object.fromEntries(p))).toBe(
        true,
      );
      expect(Object.fromEntries(p)).toMatchObject({
        MessageSid: msg.sid,
        SmsSid: msg.sid,
        To: '+15558675310',
        AccountSid: sim.account.accountSid,
      });
    }
    expect(got[0]!.r.headers['i-twilio-idempotency-token']).toBe(
      got[2]!.r.headers['i-twilio-idempotency-token'],
    );
  });

  it('carries the ErrorCode on undelivered and failed callbacks', async () => {
    const msg = await send();
    await sim.emitStatus(msg.sid, 'failed', { errorCode: 30007 });
    expect(Object.fromEntries(new URLSearchParams(receiver.requests.at(-1)!.body))).toMatchObject({
      MessageStatus: 'failed',
      ErrorCode: '30007',
    });
  });

  it.each([
    'tampered',
    'wrong_secret',
  ] as const)('sends a %s signature that fails verification', async (mode) => {
    const msg = await send();
    await sim.emitStatus(msg.sid, 'sent', { signature: mode });
    const r = receiver.requests.at(-1)!;
    expect(verify(sim.account.authToken, statusUrl, r.body, r.headers['x-twilio-signature'] as string)).toBe(
      false,
    );
  });

  it('posts an inbound STOP, signed, and refuses later sends to that number until START', async () => {
    const delivery = await sim.sendInbound({ from: '+15551230000', body: 'stop' });
    expect(delivery.status).toBe(200);
    const r = receiver.requests.at(-1)!;
    expect(r.path).toBe('/hooks/inbound');
    expect(verify(sim.account.authToken, inboundUrl, r.body, r.headers['x-twilio-signature'] as string)).toBe(
      true,
    );
    expect(Object.fromEntries(new URLSearchParams(r.body))).toMatchObject({
      From: '+15551230000',
      To: '+15005550006',
      Body: 'stop',
      OptOutType: 'STOP',
      SmsStatus: 'received',
    });
    expect(await restError(send('x', '+15551230000'))).toMatchObject({ code: 21610 });
    await sim.sendInbound({ from: '+15551230000', body: 'START' });
    expect((await send('x', '+15551230000')).status).toBe('queued');
  });

  it('runs the lifecycle on its own, with the outcome set per number', async () => {
    const auto = await startTwilioSimulator({ lifecycle: 'auto' });
    auto.setOutcome('+15558670000', { status: 'undelivered', errorCode: 30006 });
    const c = client({ target: auto });
    const a = await c.messages.create({
      to: '+15558675310',
      from: '+15005550006',
      body: 'a',
      statusCallback: statusUrl,
    });
    const b = await c.messages.create({
      to: '+15558670000',
      from: '+15005550006',
      body: 'b',
      statusCallback: statusUrl,
    });
    await expect.poll(() => auto.webhookDeliveries.length).toBe(4);
    const statuses = (sid: string) =>
      auto.webhookDeliveries
        .map((d) => new URLSearchParams(d.body))
        .filter((p) => p.get('MessageSid') === sid)
        .map((p) => [p.get('MessageStatus'), p.get('ErrorCode')]);
    expect(statuses(a.sid)).toEqual([
      ['sent', null],
      ['delivered', null],
    ]);
    expect(statuses(b.sid)).toEqual([
      ['sent', null],
      ['undelivered', '30006'],
    ]);
    await auto.close();
  });
});
