import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOfx } from '../../sandbox/bank-files/write-ofx.js';
import {
  ADMIN_TOKEN,
  expectAccessible,
  type Harness,
  openPage,
  screenshot,
  signInWithKey,
  startHarness,
} from './harness.js';

let h: Harness;
let admin: string;
let page: Page;
let errors: string[];
let programId: string;
let loanId: string;
let businessDate: string;

beforeAll(async () => {
  h = await startHarness();
  const created = await fetch(`${h.base}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Browser Lending' }),
  });
  admin = ((await created.json()) as { api_key: string }).api_key;
  businessDate = (await h.api<{ business_date: string }>('GET', '/v1/business-date', admin)).business_date;
  ({ page, errors } = await openPage(h));
});

afterAll(async () => {
  await h?.close();
});

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const confirm = async (action: string) => {
  await page.getByRole('button', { name: action, exact: true }).click();
  await page.getByRole('button', { name: `Yes, ${action.toLowerCase()}` }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
};

describe('the operator console', () => {
  it('signs in with an API key and shows the overview', async () => {
    await signInWithKey(page, admin);
    await expect(page.getByText('Browser Lending')).toBeDefined();
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await expectAccessible(page, 'overview');
  });

  it('creates a program from the form generated from its terms schema', async () => {
    await page.goto('/console/programs');
    await page.getByRole('button', { name: 'New program' }).click();
    await page.locator('#p-name').fill('Personal loans');
    await page.locator('#p-type').selectOption('installment_loan');
    await page.locator('#f-terms-currency').fill('USD');
    await page.locator('#f-terms-annual_interest_rate-min').fill('5');
    await page.locator('#f-terms-annual_interest_rate-max').fill('25');
    await page.locator('#f-terms-annual_interest_rate-default').fill('11.99');
    await page.locator('#f-terms-term_count-min').fill('6');
    await page.locator('#f-terms-term_count-max').fill('60');
    await page.locator('#f-terms-term_count-default').fill('12');
    // A principal range the API refuses (min above max) is shown at the field it names.
    await page.locator('#f-terms-principal-min').fill('100000');
    await page.locator('#f-terms-principal-max').fill('5000000');
    await expectAccessible(page, 'new program form');
    await page.getByRole('button', { name: 'Create program' }).click();
    await heading('Personal loans').waitFor();
    programId = page.url().split('/').at(-1)!;
    await screenshot(page, 'program-1280');
  });

  it('previews a quote with its schedule and Truth in Lending box, then originates and disburses a loan', async () => {
    await page.locator('#f-request-principal').fill('1000000');
    await page.locator('#f-request-disbursement_date').fill(businessDate);
    await page.getByRole('button', { name: 'Preview quote' }).click();
    await page.getByRole('region', { name: 'Truth in Lending disclosure' }).waitFor();
    expect(await page.getByRole('table', { name: 'Repayment schedule' }).locator('tbody tr').count()).toBe(
      12,
    );
    await expectAccessible(page, 'program with quote');
    await page.getByRole('button', { name: 'Apply for a loan' }).click();
    await heading(/^Loan /).waitFor();
    loanId = page.url().split('/').at(-1)!;
    await confirm('Approve');
    await page.getByText('approved', { exact: true }).first().waitFor();
    await confirm('Disburse');
    await page.locator('.badge-active').first().waitFor();
  });

  it('records a payment and shows the journal change; a bad amount is refused at its field', async () => {
    const journalRows = () => page.getByRole('table', { name: 'Journal' }).locator('tbody tr').count();
    const before = await journalRows();
    await page.getByRole('button', { name: 'Record a payment' }).click();
    await page.locator('#pay-amount').fill('12.345');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.locator('#pay-amount-error').waitFor();
    await page.locator('#pay-amount').fill('500.00');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.getByRole('cell', { name: '$500.00' }).first().waitFor();
    await expect.poll(journalRows).toBeGreaterThan(before);
    await expectAccessible(page, 'loan');
    await screenshot(page, 'loan-1280');
  });

  it('detects a loan changed by someone else and reloads instead of acting on the stale page', async () => {
    await h.api('POST', `/v1/loans/${loanId}/payments`, admin, { amount: 100, effective_date: businessDate });
    await page.getByRole('button', { name: 'Record a payment' }).click();
    await page.locator('#pay-amount').fill('1.00');
    const answer = page.waitForResponse(
      (r) => r.url().endsWith(`/v1/loans/${loanId}/payments`) && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Record payment' }).click();
    // The server refused it: the write carried the page's version as If-Match and the loan had moved on.
    const refused = await answer;
    expect(refused.status()).toBe(412);
    expect(refused.request().headers()['if-match']).toMatch(/^"\d+"$/);
    await page.getByText('This loan changed since the page loaded').waitFor();
    await page.getByText('Someone else changed this loan').waitFor();
    const payments = (
      await h.api<{ transactions: { type: string }[] }>('GET', `/v1/loans/${loanId}`, admin)
    ).transactions.filter((t) => t.type === 'payment');
    expect(payments).toHaveLength(2);
  });

  it('places the loan in collection and records a repossession; a date out of bounds is refused at its field', async () => {
    await page.goto(`/console/loans/${loanId}`);
    await page.getByRole('heading', { level: 2, name: 'Collections and collateral' }).waitFor();
    await page.getByText('Not placed').waitFor();
    await page.getByText('No collection or collateral records.').waitFor();
    const history = page
      .getByRole('table', { name: 'Collection and collateral history' })
      .locator('tbody tr');
    await page.locator('#status-change').selectOption({ label: 'Place in collection' });
    await page.locator('#status-agency').fill('Acme Recovery');
    const tomorrow = new Date(Date.parse(`${businessDate}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    await page.locator('#status-date').fill(tomorrow);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.locator('#status-date-error').waitFor();
    await page.locator('#status-date').fill(businessDate);
    const placed = page.waitForResponse((r) => r.url().endsWith('/collection-placements'));
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    // sent with the loan's version as If-Match, like every write on the page
    expect((await placed).request().headers()['if-match']).toMatch(/^"\d+"$/);
    await expect.poll(() => history.count()).toBe(1);
    await page.getByText(/^Acme Recovery since/).waitFor();
    // the form now offers what the status allows: a recall instead of a placement
    expect(await page.locator('#status-change option').allTextContents()).toEqual([
      'Recall from collection',
      'Repossession',
      'Voluntary surrender',
    ]);
    await page.locator('#status-change').selectOption({ label: 'Repossession' });
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => history.count()).toBe(2);
    await page.getByText(/^Repossessed on/).waitFor();
    const status = await h.api<{ collection: { agency: string }; collateral: { kind: string } }>(
      'GET',
      `/v1/loans/${loanId}/servicing-status`,
      admin,
    );
    expect([status.collection.agency, status.collateral.kind]).toEqual(['Acme Recovery', 'repossession']);
    await expectAccessible(page, 'loan with servicing status');
    await screenshot(page, 'loan-servicing-status-1280');
  });

  it('edits a program from its generated terms form; a program changed meanwhile is reloaded, not overwritten', async () => {
    await page.goto(`/console/programs/${programId}`);
    await heading('Personal loans').waitFor();
    await page.getByRole('button', { name: 'Edit program' }).click();
    await page.locator('#e-name').fill('Personal loans 2027');
    await page.locator('#e-description').fill('Prime borrowers');
    await page.locator('#f-terms-annual_interest_rate-default').fill('13.5');
    await expectAccessible(page, 'program edit form');
    // A default outside the program's bounds is refused at its field.
    await page.locator('#f-terms-annual_interest_rate-max').fill('10');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#f-terms-annual_interest_rate-default-error').waitFor();
    await page.locator('#f-terms-annual_interest_rate-max').fill('25');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await heading('Personal loans 2027').waitFor();
    await page.getByText('Program saved (version 2)').waitFor();
    const saved = await h.api<{ version: number; terms: { annual_interest_rate: { default: string } } }>(
      'GET',
      `/v1/programs/${programId}`,
      admin,
    );
    expect(saved).toMatchObject({ version: 2, terms: { annual_interest_rate: { default: '13.5' } } });
    // The loan made before keeps the rate it was made with.
    const loan = await h.api<{ terms: { annual_interest_rate: string } }>(
      'GET',
      `/v1/loans/${loanId}`,
      admin,
    );
    expect(loan.terms.annual_interest_rate).toBe('11.99');

    await page.getByRole('button', { name: 'Edit program' }).click();
    await page.locator('#e-name').fill('Mine');
    await h.api('PATCH', `/v1/programs/${programId}`, admin, { name: 'Theirs' });
    const answer = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect((await answer).status()).toBe(412);
    await page.getByText('Someone else changed this program').waitFor();
    await heading('Theirs').waitFor();
    expect(
      (await h.api<{ name: string; version: number }>('GET', `/v1/programs/${programId}`, admin)).name,
    ).toBe('Theirs');
    await expectAccessible(page, 'program reloaded after a stale edit');
    await screenshot(page, 'program-edited-1280');
  });

  it('lists loans with server-side filters in the URL', async () => {
    await page.goto(`/console/loans?status=active&program_id=${programId}`);
    await heading('Loans').waitFor();
    await page.getByRole('table', { name: 'Loans' }).locator('tbody tr').first().waitFor();
    expect(await page.getByRole('table', { name: 'Loans' }).locator('tbody tr').count()).toBe(1);
    await page.locator('#f-status').selectOption('closed');
    await page.getByText('No loans match these filters.').waitFor();
    expect(page.url()).toContain('status=closed');
    await expectAccessible(page, 'loans');
  });

  it('runs close of business and shows its progress to completion', async () => {
    await page.goto('/console/close-of-business');
    await heading('Close of business').waitFor();
    await page.locator('#cob-date').fill(businessDate);
    await page.getByRole('button', { name: 'Start close of business' }).click();
    await page
      .getByRole('table', { name: 'Close-of-business runs' })
      .locator('.badge-completed')
      .first()
      .waitFor();
    await expectAccessible(page, 'close of business');
    await screenshot(page, 'close-of-business-1280');
  });

  it('configures a provider and shows its secret masked, never in clear', async () => {
    await page.goto('/console/providers?service_type=financial_data');
    await page.getByRole('button', { name: 'Configure a provider' }).click();
    await page.locator('#cfg-provider').selectOption('schwab');
    await page.locator('#cfg-label').fill('Schwab production');
    await page.locator('#f-config-client_id').fill('client-abc');
    await page.locator('#f-config-client_secret').fill('sk_live_topsecret_98765');
    expect(await page.locator('#f-config-client_secret').getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Save' }).click();
    const table = page.getByRole('table', { name: 'Provider configs' });
    await table.getByText('Schwab production').waitFor();
    const text = await table.innerText();
    expect(text).toContain('***');
    expect(text).not.toContain('sk_live_topsecret_98765');
    expect(await page.content()).not.toContain('topsecret');
    await expectAccessible(page, 'providers');
    await screenshot(page, 'providers-1280');
  });

  it('uploads a statement file and shows the imported account', async () => {
    const customer = await h.api<{ id: string }>('POST', '/v1/customers', admin, {
      legal_name: 'Dana Borrower',
    });
    // Statement files are read by the chase_file provider, configured like any other.
    await h.api('POST', '/v1/provider-configs', admin, {
      label: 'Chase files',
      service_type: 'financial_data',
      provider_key: 'chase_file',
      config: {},
    });
    await page.goto(`/console/financial-data?customer_id=${customer.id}`);
    await heading('Financial data').waitFor();
    const ofx = writeOfx(
      {
        org: 'JPMorgan Chase',
        fid: '10898',
        serverDate: '20250630120000',
        statements: [
          {
            kind: 'bank',
            bankId: '021000021',
            accountId: '000111222333',
            accountType: 'CHECKING',
            start: '20250501',
            end: '20250630',
            transactions: [
              { type: 'CREDIT', posted: '20250515', amount: '2500.00', fitId: 'P1', name: 'PAYROLL ACME' },
              { type: 'DEBIT', posted: '20250601', amount: '-1200.00', fitId: 'R1', name: 'RENT' },
            ],
            ledger: { amount: '1300.00', asOf: '20250630120000' },
          },
        ],
      },
      { dialect: 'sgml' },
    );
    await page.locator('#statement-file').setInputFiles({
      name: 'statement.ofx',
      mimeType: 'application/x-ofx',
      buffer: Buffer.from(ofx),
    });
    const outcome = page.locator('.dropzone .ok, .dropzone .error');
    await outcome.waitFor();
    expect(await outcome.innerText()).toContain('Imported statement.ofx');
    await page.getByRole('table', { name: 'Accounts' }).getByText('$1,300.00').waitFor();
    await expectAccessible(page, 'financial data');
    await screenshot(page, 'financial-data-1280');
  });

  it('every page passes axe and renders at 1280 and 390 pixels', async () => {
    const pages: [string, string | RegExp][] = [
      ['/console/', 'Overview'],
      ['/console/customers', 'Customers'],
      ['/console/programs', 'Programs'],
      ['/console/cards', 'Card authorizations'],
      ['/console/audit', 'Audit log'],
      [`/console/loans/${loanId}`, /^Loan /],
    ];
    for (const [path, title] of pages) {
      await page.goto(path);
      await heading(title).waitFor();
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, path);
      await screenshot(page, `${path.split('/')[2] || 'overview'}-1280`);
    }
    const narrow = await openPage(h, 390);
    await signInWithKey(narrow.page, admin);
    for (const [path, title] of pages) {
      await narrow.page.goto(path);
      await narrow.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await narrow.page.waitForLoadState('networkidle');
      const overflow = await narrow.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await screenshot(narrow.page, `${path.split('/')[2] || 'overview'}-390`);
    }
    await narrow.page.getByRole('button', { name: 'Menu' }).click();
    await narrow.page.getByRole('link', { name: 'Loans' }).click();
    await narrow.page.getByRole('heading', { level: 1, name: 'Loans' }).waitFor();
    await narrow.context.close();
  });

  it('signs in once with a one-time link, and leaves no token in the address bar', async () => {
    const link = await h.api<{ path: string }>('POST', '/v1/console/sign-in-links', admin, {
      role: 'operator',
    });
    const tab = await openPage(h);
    await tab.page.goto(link.path);
    await tab.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(tab.page.url()).not.toContain('pls_');
    expect(await tab.page.getByText('operator', { exact: true }).count()).toBeGreaterThan(0);
    const again = await openPage(h);
    await again.page.goto(link.path);
    await again.page.getByText('already used or expired').waitFor();
    await tab.context.close();
    await again.context.close();
  });

  it('shows a viewer no write actions, and the API refuses them anyway', async () => {
    const viewer = (
      await h.api<{ api_key: string }>('POST', '/v1/api-keys', admin, { name: 'auditor', role: 'viewer' })
    ).api_key;
    const tab = await openPage(h);
    await signInWithKey(tab.page, viewer);
    await tab.page.goto(`/console/loans/${loanId}`);
    await tab.page.getByRole('heading', { level: 1, name: /^Loan / }).waitFor();
    await tab.page.getByRole('table', { name: 'Journal' }).waitFor();
    await tab.page.getByRole('table', { name: 'Collection and collateral history' }).waitFor();
    for (const name of ['Approve', 'Disburse', 'Record a payment', 'Charge off', 'Reverse', 'Record'])
      expect({ name, count: await tab.page.getByRole('button', { name, exact: true }).count() }).toEqual({
        name,
        count: 0,
      });
    expect(await tab.page.locator('#status-change').count()).toBe(0);
    await tab.page.goto('/console/programs');
    await tab.page.getByRole('table', { name: 'Programs' }).waitFor();
    expect(await tab.page.getByRole('button', { name: 'New program' }).count()).toBe(0);
    await tab.page.goto('/console/close-of-business');
    await tab.page.getByRole('table', { name: 'Close-of-business runs' }).waitFor();
    expect(await tab.page.getByRole('button', { name: 'Start close of business' }).count()).toBe(0);
    const refused = await fetch(`${h.base}/v1/loans/${loanId}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 100 }),
    });
    expect(refused.status).toBe(403);
    await tab.context.close();
  });

  it('raised no script errors', () => {
    expect(errors).toEqual([]);
  });
});
