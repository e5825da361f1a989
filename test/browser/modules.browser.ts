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

  it("uploads a document on a customer's page and downloads it through a presigned link", async () => {
    await page.goto(`/console/customers/${customerId}`);
    await heading('Dana Borrower').waitFor();
    await page.getByText('No documents.').waitFor();
    await page.locator('#up-kind').selectOption('agreement');
    await page.locator('#up-file').setInputFiles({
      name: 'agreement.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Loan agreement, signed.\n'),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const docs = page.getByRole('table', { name: 'Documents' });
    await docs.locator('.badge-stored').waitFor();
    const downloaded = page.waitForEvent('download');
    await docs.getByRole('button', { name: 'Download agreement.txt' }).click();
    const file = await downloaded;
    expect(file.suggestedFilename()).toBe('agreement.txt');
    await expectAccessible(page, 'customer with documents');
    await page.goto('/console/documents?kind=identity');
    await page.getByText('No documents match these filters.').waitFor();
    await page.locator('#f-kind').selectOption('agreement');
    await page.getByRole('table', { name: 'Documents' }).getByText('agreement.txt').waitFor();
    await expectAccessible(page, 'documents');
    await screenshot(page, 'documents-1280');
  });

  it('sends an e-mail from a template and shows its state as the provider reports it', async () => {
    await page.goto(`/console/messages?customer_id=${customerId}`);
    await heading('Messages').waitFor();
    await page.getByRole('button', { name: 'Send a message' }).click();
    await page.locator('#msg-channel').selectOption('sms');
    await page.locator('#msg-to').fill('512-555-0100');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('#msg-to-error').waitFor();
    await page.locator('#msg-channel').selectOption('email');
    await page.locator('#msg-to').fill('');
    await expectAccessible(page, 'send a message');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await heading(/\(email\)$/).waitFor();
    await page
      .getByRole('list', { name: 'Message events' })
      .locator('.badge-delivered')
      .waitFor({ timeout: 30_000 });
    await page.locator('.facts .badge-delivered').waitFor();
    await expectAccessible(page, 'message');
    await screenshot(page, 'message-1280');
    await page.goto('/console/messages?status=delivered');
    await page.getByRole('table', { name: 'Messages' }).locator('tbody tr').first().waitFor();
    await expectAccessible(page, 'messages');
  });

  it("edits a template's override and previews it before saving", async () => {
    await page.goto('/console/templates');
    await page.getByRole('table', { name: 'Templates' }).getByRole('link').first().click();
    await page.locator('#t-email-subject').waitFor();
    await page.locator('#t-email-subject').fill('Hello {{');
    await page.getByRole('button', { name: 'Save override' }).first().click();
    await page.locator('#t-email-subject-error, .error').first().waitFor();
    await page.locator('#t-email-subject').fill('A note from your lender');
    await page.getByRole('button', { name: 'Preview' }).first().click();
    await page.getByRole('region', { name: 'Email preview' }).getByText('A note from your lender').waitFor();
    await page.getByRole('button', { name: 'Save override' }).first().click();
    await page.getByText('Saved as the tenant’s override.').waitFor();
    await page.locator('.badge-tenantoverride').first().waitFor();
    await expectAccessible(page, 'template');
    await screenshot(page, 'template-1280');
  });

  it('starts a report run from its generated form, watches it finish and downloads it', async () => {
    await page.goto('/console/reports');
    await heading('Reports').waitFor();
    await expectAccessible(page, 'reports');
    await page.getByRole('link', { name: 'Delinquency aging' }).click();
    await heading('Delinquency aging').waitFor();
    await page.locator('#f-params-program_id').fill('not-a-program');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.locator('#f-params-program_id-error').waitFor();
    await page.locator('#f-params-program_id').fill('');
    await page.locator('#run-format').selectOption('csv');
    await expectAccessible(page, 'report form');
    await page.getByRole('button', { name: 'Start run' }).click();
    await heading(/^Report run/).waitFor();
    await page.locator('.facts .badge-succeeded').waitFor({ timeout: 30_000 });
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await downloaded;
    expect(file.suggestedFilename()).toMatch(/^delinquency_aging-.*\.csv$/);
    const path = await file.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path, 'utf8').split('\n')[0]).toContain(',');
    await page.getByRole('img').first().waitFor();
    await expectAccessible(page, 'report run');
    await screenshot(page, 'report-run-1280');
  });

  it("configures a compliance rule from its config schema's form, switches it off for a program, and shows the checks log", async () => {
    await page.goto('/console/compliance');
    await heading('Compliance').waitFor();
    const rules = page.getByRole('table', { name: 'Compliance rules' });
    await rules.getByText('Regulation F contact hours').waitFor();
    await page.getByRole('button', { name: 'Configure Regulation F contact hours' }).click();
    await page.locator('#cfg-label').fill('Reg F');
    await page.locator('#f-config-earliest_minute').fill('600');
    await page.locator('#f-config-latest_minute').fill('500');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#f-config-latest_minute-error').waitFor();
    await page.locator('#f-config-latest_minute').fill('1200');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = rules.getByRole('row').filter({ hasText: 'Regulation F contact hours' });
    await row.getByText('Reg F').first().waitFor();
    await page
      .getByRole('table', { name: 'OFAC lists' })
      .or(page.getByText('No OFAC list is loaded'))
      .waitFor();
    await expectAccessible(page, 'compliance');
    await screenshot(page, 'compliance-1280');
    await page.locator('#c-program').selectOption({ label: 'Personal loans' });
    await row.getByLabel('Regulation F contact hours for this program').selectOption('off');
    await row.locator('.badge-off').waitFor();
    await page.goto('/console/compliance/checks?outcome=block');
    await heading('Compliance checks').waitFor();
    await page
      .getByRole('table', { name: 'Compliance checks' })
      .or(page.getByText('No checks match these filters.'))
      .waitFor();
    await expectAccessible(page, 'compliance checks');
  });

  it('shows a viewer no write actions on the new pages', async () => {
    const viewer = (
      await h.api<{ api_key: string }>('POST', '/v1/api-keys', admin, { name: 'auditor', role: 'viewer' })
    ).api_key;
    const tab = await openPage(h);
    await signInWithKey(tab.page, viewer);
    const none = async (path: string, title: string | RegExp, names: string[]) => {
      await tab.page.goto(path);
      await tab.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await tab.page.waitForLoadState('networkidle');
      for (const name of names)
        expect({
          path,
          name,
          count: await tab.page.getByRole('button', { name, exact: true }).count(),
        }).toEqual({
          path,
          name,
          count: 0,
        });
    };
    await none(`/console/payments/${paymentId}`, /^Payment /, ['Refund', 'Capture', 'Void']);
    await none(`/console/loans/${loanId}`, /^Loan /, [
      'Collect',
      'Turn autopay on',
      'Turn autopay off',
      'Upload',
    ]);
    await none('/console/documents', 'Documents', ['Upload', 'Delete']);
    await none('/console/messages', 'Messages', ['Send a message']);
    await none('/console/reports/delinquency_aging', 'Delinquency aging', ['Start run']);
    await none('/console/compliance', 'Compliance', ['Configure', 'Load list']);
    await tab.context.close();
  });

  it('renders the new pages at 390 pixels without sideways scrolling, and axe passes on each', async () => {
    const narrow = await openPage(h, 390);
    await signInWithKey(narrow.page, admin);
    const pages: [string, string | RegExp][] = [
      ['/console/payments', 'Payments'],
      [`/console/payments/${paymentId}`, /^Payment /],
      ['/console/documents', 'Documents'],
      ['/console/messages', 'Messages'],
      ['/console/templates', 'Templates'],
      ['/console/compliance', 'Compliance'],
      ['/console/compliance/checks', 'Compliance checks'],
      ['/console/reports', 'Reports'],
    ];
    for (const [path, title] of pages) {
      await narrow.page.goto(path);
      await narrow.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await narrow.page.waitForLoadState('networkidle');
      const overflow = await narrow.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await expectAccessible(narrow.page, `${path} at 390 px`);
      await screenshot(narrow.page, `${path.split('/').slice(2).join('-').slice(0, 40)}-390`);
    }
    await narrow.context.close();
  });

  it('raised no script errors', () => {
    expect(errors).toEqual([]);
  });
});
