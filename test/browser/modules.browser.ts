import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSendGridSimulator } from '../../sandbox/simulators/sendgrid/index.js';
import { startStripeSimulator } from '../../sandbox/simulators/stripe/index.js';
import {
  ADMIN_TOKEN,
  expectAccessible,
  type Harness,
  openPage,
  screenshot,
  signInWithKey,
  startHarness,
} from './harness.js';

/**
 * The pages of the modules that landed after the console (payments, documents, communications, compliance,
 * reporting), against a real Plinth whose processors and senders are the vendors' local simulators.
 */
type Json = Record<string, unknown> & { id: string };

let h: Harness;
let admin: string;
let page: Page;
let errors: string[];
let customerId: string;
let loanId: string;
let paymentId: string;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  h = await startHarness();
  const created = await fetch(`${h.base}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Browser Servicing' }),
  });
  admin = ((await created.json()) as { api_key: string }).api_key;
  const api = <T = Json>(method: string, path: string, body?: unknown) => h.api<T>(method, path, admin, body);

  const stripe = await startStripeSimulator({ bankSettlementDelayMs: null });
  const sendgrid = await startSendGridSimulator({ lifecycle: 'auto', autoDelayMs: 50 });
  closers.push(
    () => stripe.close(),
    () => sendgrid.close(),
  );
  const whsec = `whsec_${randomBytes(24).toString('hex')}`;
  const stripeConfig = await api('POST', '/v1/provider-configs', {
    label: 'Stripe',
    service_type: 'payment_processor',
    provider_key: 'stripe',
    is_default: true,
    config: { secret_key: stripe.apiKey, webhook_secret: whsec, api_base_url: stripe.url },
  });
  stripe.addWebhookEndpoint(`${h.base}/v1/webhooks/payment-processors/${stripeConfig.id}`, { secret: whsec });
  await api('POST', '/v1/provider-configs', {
    label: 'Local files',
    service_type: 'document_storage',
    provider_key: 'local',
    is_default: true,
    config: { signing_secret: `browser-${'0'.repeat(32)}` },
  });
  const email = await api('POST', '/v1/provider-configs', {
    label: 'SendGrid',
    service_type: 'email',
    provider_key: 'sendgrid',
    is_default: true,
    config: {
      api_key: sendgrid.apiKey,
      from_email: 'loans@plinth.example',
      base_url: sendgrid.url,
      event_webhook_public_key: sendgrid.publicKey,
    },
  });
  sendgrid.setEventWebhookUrl(`${h.base}/v1/communications/webhooks/email/${email.id}`);
  await api('PUT', '/v1/communications/settings', {
    lender: {
      name: 'Plinth Lending',
      address: '1 Main St, Austin, TX 78701',
      phone: '+1 512 555 0100',
      email: 'help@plinth.example',
    },
    rate_per_second: 50,
  });

  const program = await api('POST', '/v1/programs', {
    name: 'Personal loans',
    program_type: 'installment_loan',
    terms: {
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '36', default: '12' },
      term_count: { min: 1, max: 360, default: 12 },
      principal: { min: 100, max: 100_000_000 },
    },
  });
  const customer = await api('POST', '/v1/customers', {
    legal_name: 'Dana Borrower',
    email: 'dana@example.com',
  });
  customerId = customer.id;
  const { business_date } = await api<{ business_date: string }>('GET', '/v1/business-date');
  const loan = await api<Json & { start_date: string }>('POST', '/v1/loans', {
    program_id: program.id,
    customer_id: customerId,
    principal: 1_200_000,
    disbursement_date: business_date,
  });
  loanId = loan.id;
  await api('POST', `/v1/loans/${loanId}/approve`, { effective_date: loan.start_date });
  await api('POST', `/v1/loans/${loanId}/disburse`);
  await api('POST', '/v1/payment-methods', { customer_id: customerId, type: 'card', token: 'pm_card_visa' });
  ({ page, errors } = await openPage(h));
  await signInWithKey(page, admin);
});

afterAll(async () => {
  await h?.close();
  for (const c of closers) await c();
});

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const confirm = async (action: string, fill?: () => Promise<void>) => {
  await page.getByRole('button', { name: action, exact: true }).click();
  await fill?.();
  await page.getByRole('button', { name: `Yes, ${action.toLowerCase()}` }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
};

describe('the console pages of payments, documents, communications, compliance and reporting', () => {
  it("collects a loan payment from the loan's page and sets its autopay", async () => {
    await page.goto(`/console/loans/${loanId}`);
    await heading(/^Loan /).waitFor();
    await page.getByText('No payments collected for this loan.').waitFor();
    await page.getByLabel('An amount').check();
    await page.locator('#collect-amount').fill('12.345');
    await page.getByRole('button', { name: 'Collect', exact: true }).click();
    await page.locator('#collect-amount-error').waitFor();
    await page.locator('#collect-amount').fill('150.00');
    await page.getByRole('button', { name: 'Collect', exact: true }).click();
    const collections = page.getByRole('table', { name: 'Collections' });
    await collections.getByText('$150.00').waitFor();
    await collections.locator('.badge-captured, .badge-succeeded').first().waitFor();
    await page.getByRole('button', { name: 'Turn autopay on' }).click();
    await page.getByText(/^On: card visa/i).waitFor();
    await expectAccessible(page, 'loan with collections');
  });

  it('lists payments with filters, shows a payment with its transitions, and refunds part of it', async () => {
    await page.goto('/console/payments?state=voided');
    await heading('Payments').waitFor();
    await page.getByText('No payments match these filters.').waitFor();
    await page.locator('#f-state').selectOption('');
    const table = page.getByRole('table', { name: 'Payments' });
    await table.getByText('$150.00').waitFor();
    expect(page.url()).not.toContain('state=');
    await expectAccessible(page, 'payments');
    await screenshot(page, 'payments-1280');
    await table.getByRole('link').first().click();
    await heading(/^Payment /).waitFor();
    paymentId = page.url().split('/').at(-1)!;
    await page.getByRole('list', { name: 'State transitions' }).locator('.badge-captured').waitFor();
    await confirm('Refund', async () => {
      await page.locator('#refund-amount').fill('40.00');
    });
    await page.getByRole('table', { name: 'Refunds' }).getByText('$40.00').waitFor();
    await page.locator('.facts .badge-partially_refunded').waitFor();
    const p = await h.api<{ amount_refunded: number; state: string }>(
      'GET',
      `/v1/payments/${paymentId}`,
      admin,
    );
    expect(p).toMatchObject({ amount_refunded: 4000, state: 'partially_refunded' });
    await expectAccessible(page, 'payment');
    await screenshot(page, 'payment-1280');
  });

  it('raised no script errors', () => {
    expect(errors).toEqual([]);
  });
});
