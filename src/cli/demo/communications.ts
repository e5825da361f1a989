import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startLobSimulator } from '../../../sandbox/simulators/lob/index.js';
import { startSendGridSimulator } from '../../../sandbox/simulators/sendgrid/index.js';
import { startTwilioSimulator } from '../../../sandbox/simulators/twilio/index.js';
import { renderLetterPdf } from '../../modules/communications/index.js';
import { type DemoClient, expectStatus, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

/**
 * Documents and communications: a signed agreement stored through local document storage, then an e-mail, an
 * SMS and a letter for a demo loan through the SendGrid, Twilio and Lob simulators (official SDKs), their delivery
 * states as the simulators' signed webhooks report them, and the letter's PDF written where the reader can open it.
 */
type Json = Record<string, unknown>;
interface Message {
  id: string;
  status: string;
  status_reason: string | null;
  document_id: string | null;
  events: { status: string; source: string; occurred_at: string }[];
}

const LOB_SECRET = 'demo-lob-webhook-secret';
const FROM = '+15005550006';

export async function communicationsTour(
  api: DemoClient,
  tenant: DemoTenant,
  dataDir: string,
): Promise<() => Promise<void>> {
  const key = tenant.key;
  const call = <T = Json>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, path, { key, body });
  const [sendgrid, twilio, lob] = await Promise.all([
    startSendGridSimulator({ lifecycle: 'auto', autoDelayMs: 50 }),
    startTwilioSimulator({ lifecycle: 'auto', autoDelayMs: 50, numbers: [{ phoneNumber: FROM }] }),
    startLobSimulator({ lifecycle: 'auto', autoDelayMs: 20 }),
  ]);
  const close = async () => {
    await Promise.all([sendgrid.close(), twilio.close(), lob.close()]);
  };

  section('Documents: a signed agreement');
  const config = async (service_type: string, provider_key: string, cfg: Json) =>
    (
      await expectStatus(
        call<{ id: string }>('POST', '/v1/provider-configs', {
          label: provider_key,
          service_type,
          provider_key,
          config: cfg,
          is_default: true,
        }),
        201,
        `${provider_key} config`,
      )
    ).id;
  await config('document_storage', 'local', { signing_secret: `demo-${'0'.repeat(32)}` });
  const customer = await expectStatus(
    call<{ id: string }>('POST', '/v1/customers', {
      legal_name: 'Dana Borrower',
      email: 'dana@example.com',
      phone: '+15125550142',
      address: {
        lines: ['185 Berry St'],
        city: 'San Francisco',
        state: 'CA',
        postal_code: '94107',
        country: 'US',
      },
    }),
    201,
    'customer',
  );
  const program = await expectStatus(
    call<{ id: string }>('POST', '/v1/programs', {
      name: 'Demo personal loans',
      program_type: 'installment_loan',
      terms: {
        currency: 'USD',
        annual_interest_rate: { min: '5', max: '24.99', default: '11.99' },
        term_count: { min: 6, max: 60, default: 12 },
        principal: { min: 100_000, max: 5_000_000 },
      },
    }),
    201,
    'program',
  );
  const loan = await expectStatus(
    call<{ id: string }>('POST', '/v1/loans', {
      program_id: program.id,
      customer_id: customer.id,
      principal: 500_000,
      term_count: 12,
      disbursement_date: '2024-01-15',
    }),
    201,
    'loan',
  );
  const agreement = await renderLetterPdf({
    body: '# Loan agreement\n\nSigned by Dana Borrower.\n\n| Amount financed | $5,000.00 |',
    sender: 'Plinth Lending',
  });
  const upload = await expectStatus(
    call<{ document: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
      'POST',
      '/v1/documents/uploads',
      {
        owner_type: 'loan',
        owner_id: loan.id,
        kind: 'agreement',
        filename: 'agreement.pdf',
        content_type: 'application/pdf',
        size: agreement.byteLength,
        sha256: createHash('sha256').update(agreement).digest('hex'),
      },
    ),
    201,
    'upload request',
  );
  const put = await fetch(upload.upload.url, {
    method: 'PUT',
    headers: upload.upload.headers,
    body: agreement,
  });
  const stored = await expectStatus(
    call<{ status: string; size: number }>('POST', `/v1/documents/${upload.document.id}/confirm`),
    200,
    'confirm',
  );
  say(
    `agreement uploaded to a signed URL (${put.status}) and confirmed: ${stored.status}, ${stored.size} bytes, SHA-256 checked`,
  );

  section('Communications: e-mail, SMS and a letter for the loan');
  await expectStatus(
    call('PUT', '/v1/communications/settings', {
      lender: {
        name: 'Plinth Lending',
        address: '1 Main St, Austin, TX 78701',
        phone: '+1 512 555 0100',
        email: 'help@plinth.example',
      },
      rate_per_second: 50,
    }),
    200,
    'settings',
  );
  const email = await config('email', 'sendgrid', {
    api_key: sendgrid.apiKey,
    from_email: 'loans@plinth.example',
    base_url: sendgrid.url,
    event_webhook_public_key: sendgrid.publicKey,
  });
  const sms = await config('sms', 'twilio', {
    account_sid: twilio.account.accountSid,
    auth_token: twilio.account.authToken,
    from_number: FROM,
    base_url: twilio.url,
  });
  const letter = await config('letter', 'lob', {
    api_key: lob.apiKey,
    base_url: lob.url,
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
  const hook = (channel: string, id: string) => `${api.baseUrl}/v1/communications/webhooks/${channel}/${id}`;
  sendgrid.setEventWebhookUrl(hook('email', email));
  twilio.numbers[0]!.smsUrl = hook('sms', sms);
  lob.webhooks.push({ url: hook('letter', letter), secret: LOB_SECRET });
  say('SendGrid, Twilio and Lob configured (simulators); their signed webhooks point at Plinth');

  const payment = { amount_due: 43_817, due_date: '2024-02-15', days_until_due: 5 };
  const sent = [
    await call<Message>('POST', '/v1/messages', {
      channel: 'email',
      template: 'payment_reminder',
      loan_id: loan.id,
      variables: { currency: 'USD', loan: { reference: 'LN-DEMO-1' }, payment },
    }),
    await call<Message>('POST', '/v1/messages', {
      channel: 'sms',
      template: 'payment_reminder',
      loan_id: loan.id,
      variables: { currency: 'USD', loan: { reference: 'LN-DEMO-1' }, payment },
    }),
    await call<Message>('POST', '/v1/messages', {
      channel: 'letter',
      template: 'late_notice',
      loan_id: loan.id,
      variables: {
        currency: 'USD',
        loan: { reference: 'LN-DEMO-1', days_past_due: 11 },
        payment: { due_date: '2024-02-15', amount_past_due: 43_817 },
      },
    }),
  ];
  for (const r of sent) if (r.status !== 201) throw new Error(`message: ${JSON.stringify(r.body)}`);
  const finals = await Promise.all(sent.map((r) => waitFinal(api, key, r.body.id)));
  for (const [i, m] of finals.entries())
    say(
      `${['e-mail', 'SMS', 'letter'][i]}: ${m.status} (${m.events.map((e) => `${e.status} by ${e.source}`).join(' → ')})`,
    );

  const bad = await call<{ errors: { path: string }[] }>('POST', '/v1/messages', {
    channel: 'sms',
    template: 'payment_reminder',
    to: { phone: '512-555-0100' },
    variables: {},
  });
  say(`a phone number that is not E.164 gets ${bad.status} naming ${bad.body.errors[0]?.path}`);
  const missing = await call<{ missing_variables: string[] }>('POST', '/v1/messages', {
    channel: 'email',
    template: 'payment_reminder',
    loan_id: loan.id,
    variables: { currency: 'USD' },
  });
  say(
    `a template variable left out gets ${missing.status} naming ${missing.body.missing_variables?.join(', ')}`,
  );

  const link = await expectStatus(
    call<{ url: string }>('GET', `/v1/documents/${finals[2]!.document_id}/download-url`),
    200,
    'letter download URL',
  );
  const pdf = Buffer.from(await (await fetch(link.url)).arrayBuffer());
  const dir = resolve(dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'late-notice.pdf');
  writeFileSync(file, pdf);
  say(`the letter's PDF (${pdf.byteLength} bytes, rendered by Plinth, stored, mailed by Lob): ${file}`);
  return close;
}

async function waitFinal(api: DemoClient, key: string, id: string): Promise<Message> {
  const until = Date.now() + 30_000;
  for (;;) {
    const m = (await api.call<Message>('GET', `/v1/messages/${id}`, { key })).body;
    if (['delivered', 'failed', 'bounced', 'undeliverable'].includes(m.status) || Date.now() > until)
      return m;
    await new Promise((r) => setTimeout(r, 100));
  }
}
