import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type LobSimulator, startLobSimulator } from '../../sandbox/simulators/lob/index.js';
import { type SendGridSimulator, startSendGridSimulator } from '../../sandbox/simulators/sendgrid/index.js';
import { startTwilioSimulator, type TwilioSimulator } from '../../sandbox/simulators/twilio/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

export const FROM_NUMBER = '+15005550006';
export const LOB_SECRET = 'lob-webhook-secret-0123';

/**
 * Plinth serving on loopback with its job queue and dispatch workers, and the SendGrid, Twilio and Lob simulators
 * walking each message through its lifecycle on their own (`auto`) and posting signed events back to Plinth.
 */
export interface CommsHarness {
  t: TestApp;
  sendgrid: SendGridSimulator;
  twilio: TwilioSimulator;
  lob: LobSimulator;
  close(): Promise<void>;
}

export async function startCommsHarness(opts: { lifecycle?: 'auto' | 'manual' } = {}): Promise<CommsHarness> {
  const lifecycle = opts.lifecycle ?? 'auto';
  const t = await startTestApp({
    listen: true,
    jobs: true,
    env: { PLINTH_DATA_DIR: mkdtempSync(join(tmpdir(), 'plinth-comms-')) },
  });
  const [sendgrid, twilio, lob] = await Promise.all([
    startSendGridSimulator({ lifecycle }),
    startTwilioSimulator({ lifecycle, numbers: [{ phoneNumber: FROM_NUMBER }] }),
    startLobSimulator({ lifecycle, autoDelayMs: 5 }),
  ]);
  return {
    t,
    sendgrid,
    twilio,
    lob,
    async close() {
      // Simulators first: one still delivering (and retrying) its webhooks keeps a connection to Plinth busy,
      // and Plinth's close waits for busy connections.
      await Promise.all([sendgrid.close(), twilio.close(), lob.close()]);
      await t.close();
    },
  };
}

export interface CommsTenant {
  id: string;
  key: string;
  configs: { email: string; sms: string; letter: string };
  customerId: string;
}

async function ok(r: { statusCode: number; body: string; json(): unknown }, status = 201) {
  if (r.statusCode !== status) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as Record<string, unknown>;
}

/** A tenant with its lender set, every channel configured against the simulators, and a customer on file. */
export async function commsTenant(h: CommsHarness, name = 'comms'): Promise<CommsTenant> {
  const tenant = await h.t.tenant(name);
  const call = (method: 'POST' | 'PUT', url: string, body: unknown) =>
    h.t.call(method, url, { key: tenant.key, body });
  await ok(
    await call('PUT', '/v1/communications/settings', {
      lender: {
        name: 'Plinth Lending',
        address: '1 Main St, Austin, TX 78701',
        phone: '+1 512 555 0100',
        email: 'help@plinth.example',
      },
      rate_per_second: 1000,
    }),
    200,
  );
  const config = async (service_type: string, provider_key: string, cfg: Record<string, unknown>) =>
    (
      await ok(
        await call('POST', '/v1/provider-configs', {
          label: provider_key,
          service_type,
          provider_key,
          config: cfg,
          is_default: true,
        }),
      )
    ).id as string;
  await config('document_storage', 'local', { signing_secret: 'local-signing-secret-0123456789abcdef' });
  const email = await config('email', 'sendgrid', {
    api_key: h.sendgrid.apiKey,
    from_email: 'loans@plinth.example',
    base_url: h.sendgrid.url,
    event_webhook_public_key: h.sendgrid.publicKey,
  });
  const sms = await config('sms', 'twilio', {
    account_sid: h.twilio.account.accountSid,
    auth_token: h.twilio.account.authToken,
    from_number: FROM_NUMBER,
    base_url: h.twilio.url,
  });
  const letter = await config('letter', 'lob', {
    api_key: h.lob.apiKey,
    base_url: h.lob.url,
    webhook_secret: LOB_SECRET,
    from: {
      name: 'Plinth Lending',
      lines: ['1 Main St'],
      city: 'Austin',
      state: 'TX',
      postal_code: '78701',
      country: 'US',
    },
  });
  h.sendgrid.setEventWebhookUrl(`${h.t.url}/v1/communications/webhooks/email/${email}`);
  h.twilio.numbers[0]!.smsUrl = `${h.t.url}/v1/communications/webhooks/sms/${sms}`;
  h.lob.webhooks.push({ url: `${h.t.url}/v1/communications/webhooks/letter/${letter}`, secret: LOB_SECRET });
  const customer = await ok(
    await call('POST', '/v1/customers', {
      legal_name: 'Ada Borrower',
      email: 'ada@example.com',
      phone: '+15125550100',
      address: {
        lines: ['185 Berry St'],
        city: 'San Francisco',
        state: 'CA',
        postal_code: '94107',
        country: 'US',
      },
    }),
  );
  return { ...tenant, configs: { email, sms, letter }, customerId: customer.id as string };
}

export interface MessageJson {
  id: string;
  status: string;
  status_reason: string | null;
  provider_message_id: string | null;
  document_id: string | null;
  attempts: number;
  events: { status: string; source: string; reason: string | null; provider_event_id: string | null }[];
  [field: string]: unknown;
}

/** Polls a message until `done` says so (the workers and webhooks run on their own). */
export async function waitForMessage(
  h: CommsHarness,
  key: string,
  id: string,
  done: (m: { status: string }) => boolean,
  timeoutMs = 15_000,
): Promise<MessageJson> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = (await h.t.call('GET', `/v1/messages/${id}`, { key })).json();
    if (done(m)) return m;
    if (Date.now() > until) expect.fail(`message ${id} is ${m.status}: ${JSON.stringify(m.events)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const reminder = {
  currency: 'USD',
  loan: { reference: 'LN-10042' },
  payment: { amount_due: 43_817, due_date: '2026-04-02', days_until_due: 5 },
};

export const late = {
  currency: 'USD',
  loan: { reference: 'LN-10042', days_past_due: 11 },
  payment: { due_date: '2026-04-02', amount_past_due: 43_817 },
};
