import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LobSimulator, startLobSimulator } from '../../sandbox/simulators/lob/index.js';
import type { WebhookDelivery } from '../../sandbox/simulators/shared/comms.js';
import { startTwilioSimulator, type TwilioSimulator } from '../../sandbox/simulators/twilio/index.js';
import { ProviderError } from '../../src/kernel/errors.js';
import { createLogger } from '../../src/kernel/logging.js';
import {
  type InboundWebhook,
  LETTER_PROVIDERS,
  type LetterProvider,
  renderLetterPdf,
  SMS_PROVIDERS,
  type SmsProvider,
} from '../../src/modules/communications/index.js';

// The sms and letter contracts, run against every provider of each (Twilio; Lob) through the official SDKs pointed
// at the simulators. Webhook deliveries go to a closed port: the simulators record what they signed and sent, and
// the provider verifies exactly those bytes.
const deps = { logger: createLogger('silent'), now: () => new Date() };
const NOWHERE = 'http://127.0.0.1:9/v1/communications/webhooks';
const FROM = '+15005550006';

let twilio: TwilioSimulator;
let lob: LobSimulator;
beforeAll(async () => {
  [twilio, lob] = await Promise.all([
    startTwilioSimulator({ numbers: [{ phoneNumber: FROM, smsUrl: `${NOWHERE}/sms/inbound` }] }),
    startLobSimulator({ webhooks: [{ url: `${NOWHERE}/letter/x`, secret: 'lob-webhook-secret-1' }] }),
  ]);
});
afterAll(async () => {
  await Promise.all([twilio.close(), lob.close()]);
});

const inbound = (d: WebhookDelivery): InboundWebhook => ({
  body: Buffer.from(d.body),
  headers: Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toLowerCase(), v])),
  url: d.url,
  now: new Date(),
});

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => new Error('expected a failure'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe.each(SMS_PROVIDERS.map((d) => [d.key, d] as const))('sms contract: %s', (_key, def) => {
  const sms = (): SmsProvider =>
    def.create(
      def.configSchema.parse({
        account_sid: twilio.account.accountSid,
        auth_token: twilio.account.authToken,
        from_number: FROM,
        base_url: twilio.url,
      }),
      deps,
    );

  it('sends to an E.164 number with its status callback, and verifies the signed callback', async () => {
    const callback = `${NOWHERE}/sms/cfg`;
    const r = await sms().sendSms({
      messageId: 'm1',
      to: '+15125550100',
      body: 'Your payment is due',
      statusCallback: callback,
    });
    const sent = twilio.message(r.providerMessageId)!;
    expect(sent).toMatchObject({
      to: '+15125550100',
      from: FROM,
      messagingServiceSid: null,
      body: 'Your payment is due',
      statusCallback: callback,
    });
    const d = await twilio.emitStatus(r.providerMessageId, 'delivered');
    const p = sms();
    expect(p.verifyWebhook(inbound(d!))).toBe(true);
    expect(p.parseWebhook(inbound(d!)).deliveries).toEqual([
      expect.objectContaining({ providerMessageId: r.providerMessageId, status: 'delivered' }),
    ]);
    expect(p.verifyWebhook({ ...inbound(d!), body: Buffer.from(`${d!.body}&x=1`) })).toBe(false);
    expect(p.verifyWebhook({ ...inbound(d!), url: `${callback}?other` })).toBe(false);
  });

  it('sends through a Messaging Service instead of a number when the config names one', async () => {
    const service = `MG${'0123456789abcdef'.repeat(2)}`;
    const p = def.create(
      def.configSchema.parse({
        account_sid: twilio.account.accountSid,
        auth_token: twilio.account.authToken,
        messaging_service_sid: service,
        base_url: twilio.url,
      }),
      deps,
    );
    const r = await p.sendSms({ messageId: 'm7', to: '+15125550100', body: 'Hello' });
    expect(r.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.message(r.providerMessageId)).toMatchObject({
      from: null,
      messagingServiceSid: service,
      body: 'Hello',
      statusCallback: null,
    });
  });

  it('reads a STOP reply as an opt-out', async () => {
    const d = await twilio.sendInbound({ from: '+15125550111', body: 'STOP' });
    expect(sms().verifyWebhook(inbound(d))).toBe(true);
    expect(sms().parseWebhook(inbound(d)).optOuts).toEqual([
      { channel: 'sms', address: '+15125550111', optedOut: true, source: 'twilio.stop' },
    ]);
  });

  it('rejects what retrying cannot fix, with Twilio’s code', async () => {
    const bad = await providerError(sms().sendSms({ messageId: 'm2', to: '5125550100', body: 'x' }));
    expect(bad).toMatchObject({
      kind: 'rejected',
      details: expect.objectContaining({ vendorCode: '21211' }),
    });
    twilio.optOut('+15125550122');
    const stopped = await providerError(sms().sendSms({ messageId: 'm3', to: '+15125550122', body: 'x' }));
    expect(stopped).toMatchObject({
      kind: 'rejected',
      details: expect.objectContaining({ vendorCode: '21610' }),
    });
  });

  it('reports 429 and 5xx as transient, and a wrong token as authentication', async () => {
    twilio.rateLimit();
    expect(
      (await providerError(sms().sendSms({ messageId: 'm4', to: '+15125550100', body: 'x' }))).kind,
    ).toBe('rate_limited');
    twilio.failWith({ status: 503 });
    expect(
      (await providerError(sms().sendSms({ messageId: 'm5', to: '+15125550100', body: 'x' }))).transient,
    ).toBe(true);
    const wrong = def.create(
      def.configSchema.parse({
        account_sid: twilio.account.accountSid,
        auth_token: 'wrong-token-000000',
        from_number: FROM,
        base_url: twilio.url,
      }),
      deps,
    );
    expect(
      (await providerError(wrong.sendSms({ messageId: 'm6', to: '+15125550100', body: 'x' }))).kind,
    ).toBe('authentication');
  });
});

describe.each(LETTER_PROVIDERS.map((d) => [d.key, d] as const))('letter contract: %s', (_key, def) => {
  const config = (over: Record<string, unknown> = {}) =>
    def.configSchema.parse({
      api_key: lob.apiKey,
      base_url: lob.url,
      webhook_secret: 'lob-webhook-secret-1',
      from: {
        name: 'Plinth Lending',
        lines: ['1 Main St'],
        city: 'Austin',
        state: 'TX',
        postal_code: '78701',
        country: 'US',
      },
      ...over,
    });
  const letters = (): LetterProvider => def.create(config(), deps);
  const to = {
    name: 'Ada Borrower',
    lines: ['185 Berry St', 'Suite 6100'],
    city: 'San Francisco',
    state: 'CA',
    postal_code: '94107',
    country: 'US',
  };
  let pdf: Uint8Array;
  beforeAll(async () => {
    pdf = await renderLetterPdf({
      body: '# Payoff letter\n\nYour loan is paid in full.',
      sender: 'Plinth Lending',
    });
  });

  it('mails the PDF Plinth rendered, once per idempotency key, and verifies the signed events', async () => {
    const first = await letters().sendLetter({ messageId: 'l1', to, pdf, idempotencyKey: 'key-l1' });
    const again = await letters().sendLetter({ messageId: 'l1', to, pdf, idempotencyKey: 'key-l1' });
    expect(again.providerMessageId).toBe(first.providerMessageId);
    const letter = lob.letter(first.providerMessageId)!;
    expect(letter.pdf!.equals(Buffer.from(pdf))).toBe(true);
    expect(letter.metadata.plinth_message_id).toBe('l1');
    expect(letter.to).toMatchObject({ address_line1: '185 BERRY ST', address_zip: '94107' });

    const [d] = await lob.emit(first.providerMessageId, 'letter.delivered');
    const p = letters();
    expect(p.verifyWebhook(inbound(d!))).toBe(true);
    expect(p.parseWebhook(inbound(d!)).deliveries).toEqual([
      expect.objectContaining({
        messageId: 'l1',
        providerMessageId: first.providerMessageId,
        status: 'delivered',
      }),
    ]);
    const [tampered] = await lob.emit(first.providerMessageId, 'letter.delivered', { signature: 'tampered' });
    expect(p.verifyWebhook(inbound(tampered!))).toBe(false);
    const [stale] = await lob.emit(first.providerMessageId, 'letter.delivered', { signature: 'stale' });
    expect(p.verifyWebhook(inbound(stale!))).toBe(false);
  });

  it('rejects an address that cannot be mailed, and reports 429 as transient', async () => {
    lob.markUndeliverable('10001');
    const e = await providerError(
      letters().sendLetter({
        messageId: 'l2',
        to: { ...to, city: 'New York', state: 'NY', postal_code: '10001' },
        pdf,
        idempotencyKey: 'key-l2',
      }),
    );
    expect(e).toMatchObject({
      kind: 'rejected',
      details: expect.objectContaining({ vendorCode: 'failed_deliverability_strictness' }),
    });
    lob.rateLimit();
    expect(
      (await providerError(letters().sendLetter({ messageId: 'l3', to, pdf, idempotencyKey: 'key-l3' })))
        .transient,
    ).toBe(true);
  });
});
