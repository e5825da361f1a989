import { writeOfx } from '../../../sandbox/bank-files/write-ofx.js';
import { startAlpacaSimulator } from '../../../sandbox/simulators/alpaca/index.js';
import { DEFAULT_SCHWAB_CLIENT, startSchwabSimulator } from '../../../sandbox/simulators/schwab/index.js';
import { type DemoClient, expectStatus, money, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

/**
 * Financial-data aggregation: a borrower links a Schwab account (OAuth, through the simulator's consent page)
 * and an Alpaca account (API keys), and the lender imports the borrower's bank statement (OFX). Then the
 * underwriting summary over the linked accounts.
 */

interface Account {
  id: string;
  name: string;
  account_type: string;
  balance: number | null;
  currency: string;
}

/** Six months of a checking account: biweekly payroll, rent, utilities, card spending and one NSF fee. */
function demoStatement(): string {
  const txns = [];
  const day = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');
  for (let i = 0, d = Date.UTC(2025, 0, 3); i < 13; i++, d += 14 * 86_400_000)
    txns.push({
      type: 'DIRECTDEP',
      posted: day(new Date(d)),
      amount: '2450.00',
      fitId: `PAY${i}`,
      name: 'GLOBEX CORP PAYROLL',
    });
  for (let m = 1; m <= 6; m++) {
    const mm = String(m).padStart(2, '0');
    txns.push({
      type: 'DEBIT',
      posted: `2025${mm}01`,
      amount: '-1650.00',
      fitId: `RENT${m}`,
      name: 'OAKWOOD APTS RENT',
    });
    txns.push({
      type: 'DEBIT',
      posted: `2025${mm}11`,
      amount: `-${80 + m}.40`,
      fitId: `UTIL${m}`,
      name: 'CITY POWER & LIGHT',
    });
    txns.push({
      type: 'POS',
      posted: `2025${mm}14`,
      amount: '-15.49',
      fitId: `NFLX${m}`,
      name: 'NETFLIX.COM',
    });
    txns.push({
      type: 'POS',
      posted: `2025${mm}20`,
      amount: `-${120 + m * 7}.15`,
      fitId: `SHOP${m}`,
      name: 'COSTCO WHSE #0113',
    });
  }
  txns.push({
    type: 'FEE',
    posted: '20250415',
    amount: '-35.00',
    fitId: 'NSF1',
    name: 'NSF FEE RETURNED ITEM',
  });
  return writeOfx(
    {
      org: 'JPMorgan Chase',
      fid: '10898',
      serverDate: '20250630120000[-4:EDT]',
      statements: [
        {
          kind: 'bank',
          bankId: '021000021',
          accountId: '000987654321',
          accountType: 'CHECKING',
          start: '20250101',
          end: '20250630',
          transactions: txns,
          ledger: { amount: '24210.35', asOf: '20250630120000[-4:EDT]' },
        },
      ],
    },
    { dialect: 'sgml' },
  );
}

async function upload(api: DemoClient, key: string, customerId: string, content: string, name: string) {
  const form = new FormData();
  form.set('customer_id', customerId);
  form.set('file', new Blob([Buffer.from(content, 'latin1')], { type: 'application/x-ofx' }), name);
  const res = await fetch(`${api.baseUrl}/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function showAccounts(api: DemoClient, key: string, customerId: string) {
  const { data } = await expectStatus(
    api.call<{ data: Account[] }>('GET', `/v1/accounts?customer_id=${customerId}`, { key }),
    200,
    'list accounts',
  );
  for (const a of data) say(`  ${a.name.padEnd(28)} ${a.account_type.padEnd(12)} ${money(a.balance)}`);
  return data;
}

export async function aggregationTour(api: DemoClient, tenant: DemoTenant): Promise<() => Promise<void>> {
  const key = tenant.key;
  const callback = `${api.baseUrl}/v1/oauth/schwab/callback`;
  const schwab = await startSchwabSimulator({
    clients: [{ ...DEFAULT_SCHWAB_CLIENT, redirectUris: [callback] }],
  });
  const alpaca = await startAlpacaSimulator();
  const close = async () => {
    await schwab.close();
    await alpaca.close();
  };
  section('Financial data: link a borrower’s brokerage and bank accounts');
  const providers = await expectStatus(
    api.call<{ data: { provider_key: string; category: string; auth_type: string }[] }>(
      'GET',
      '/v1/financial-providers',
      { key },
    ),
    200,
    'financial providers',
  );
  say(
    `providers: ${providers.data.map((p) => `${p.provider_key} (${p.category}, ${p.auth_type})`).join('; ')}`,
  );
  const configs: [string, Record<string, unknown>][] = [
    [
      'schwab',
      {
        client_id: DEFAULT_SCHWAB_CLIENT.clientId,
        client_secret: DEFAULT_SCHWAB_CLIENT.clientSecret,
        redirect_uri: callback,
        base_url: schwab.url,
      },
    ],
    ['alpaca', { environment: 'paper', base_url: alpaca.url }],
    ['chase_file', {}],
  ];
  for (const [provider, config] of configs)
    await expectStatus(
      api.call('POST', '/v1/provider-configs', {
        key,
        body: { label: provider, service_type: 'financial_data', provider_key: provider, config },
      }),
      201,
      `configure ${provider}`,
    );
  say(`configured Schwab (simulator ${schwab.url}), Alpaca paper (simulator ${alpaca.url}) and Chase files`);
  const customer = await expectStatus(
    api.call<{ id: string }>('POST', '/v1/customers', {
      key,
      body: { legal_name: 'Dana Borrower', time_zone: 'America/New_York' },
    }),
    201,
    'create borrower',
  );

  const started = await expectStatus(
    api.call<{ connection: { id: string; status: string }; authorization_url: string }>(
      'POST',
      '/v1/connections',
      {
        key,
        body: { customer_id: customer.id, provider: 'schwab' },
      },
    ),
    201,
    'start Schwab link',
  );
  say(
    `Schwab connection ${started.connection.status}; the borrower is sent to ${new URL(started.authorization_url).origin}/v1/oauth/authorize?…&state=…`,
  );
  const consent = await fetch(started.authorization_url, { redirect: 'manual' });
  const back = await fetch(consent.headers.get('location')!);
  const linked = (await back.json()) as { connection: { status: string } };
  say(`after consent Schwab redirects to our callback: connection ${linked.connection.status}`);
  const replay = await fetch(consent.headers.get('location')!);
  say(`replaying the same callback (state is single-use): ${replay.status}`);
  const sync = await expectStatus(
    api.call<{ sync_run: { result: Record<string, number>; snapshot_source: string } }>(
      'POST',
      `/v1/connections/${started.connection.id}/sync`,
      { key, body: { start_date: '2025-01-01' } },
    ),
    200,
    'sync Schwab',
  );
  say(
    `Schwab sync (${sync.sync_run.snapshot_source}): ${sync.sync_run.result.accounts_imported} accounts via account-number hashes, ${sync.sync_run.result.transactions_imported} transactions in 60-day windows, ${sync.sync_run.result.holdings_imported} holdings`,
  );

  const badKeys = await api.call<{ detail: string }>('POST', '/v1/connections', {
    key,
    body: {
      customer_id: customer.id,
      provider: 'alpaca',
      credentials: { key_id: alpaca.key.keyId, secret_key: 'wrong' },
    },
  });
  say(`Alpaca with a wrong secret: ${badKeys.status} — ${badKeys.body.detail}`);
  const alp = await expectStatus(
    api.call<{ connection: { id: string; status: string } }>('POST', '/v1/connections', {
      key,
      body: {
        customer_id: customer.id,
        provider: 'alpaca',
        credentials: { key_id: alpaca.key.keyId, secret_key: alpaca.key.secretKey },
      },
    }),
    201,
    'link Alpaca',
  );
  const alpSync = await expectStatus(
    api.call<{ sync_run: { result: Record<string, number> } }>(
      'POST',
      `/v1/connections/${alp.connection.id}/sync`,
      {
        key,
        body: { start_date: '2025-01-01' },
      },
    ),
    200,
    'sync Alpaca',
  );
  say(
    `Alpaca keys checked on connect; sync: ${alpSync.sync_run.result.transactions_imported} activities (paged), ${alpSync.sync_run.result.holdings_imported} positions`,
  );
  const again = await api.call<{ code: string }>('POST', `/v1/connections/${alp.connection.id}/sync`, {
    key,
    body: {},
  });
  say(`syncing again at once: ${again.status} ${again.body.code} (5-minute minimum unless force)`);

  const statement = demoStatement();
  const imported = await upload(api, key, customer.id, statement, 'chase-2025h1.qfx');
  say(`OFX import: ${imported.status} ${imported.body.message}`);
  const reimported = await upload(api, key, customer.id, statement, 'chase-2025h1.qfx');
  say(
    `the same file again: ${reimported.body.transactions_imported} imported, ${reimported.body.transactions_skipped} already known`,
  );
  const broken = await upload(api, key, customer.id, statement.slice(0, statement.length / 2), 'broken.ofx');
  say(`a truncated file: ${broken.status} ${broken.body.detail}`);
  say('the borrower’s accounts:');
  await showAccounts(api, key, customer.id);

  section('Underwriting: cash flow over the linked deposit accounts');
  const cf = await expectStatus(
    api.call<{
      totals: { inflow: number; outflow: number };
      average_daily_balance: number | null;
      nsf_overdraft: { count: number };
      income: { regularity: string; monthly_average: number; streams: { payer: string; cadence: string }[] };
      recurring_debits: { payee: string; category: string; monthly_equivalent: number }[];
    }>('GET', `/v1/customers/${customer.id}/cash-flow?months=6&end_date=2025-06-30`, { key }),
    200,
    'cash flow',
  );
  say(
    `inflow ${money(cf.totals.inflow)}, outflow ${money(cf.totals.outflow)}, average daily balance ${money(cf.average_daily_balance)}`,
  );
  say(
    `income ${cf.income.regularity}: ${cf.income.streams.map((s) => `${s.payer} ${s.cadence}`).join(', ')}; ${money(cf.income.monthly_average)} a month`,
  );
  say(
    `recurring debits: ${cf.recurring_debits.map((d) => `${d.payee} (${d.category}) ${money(d.monthly_equivalent)}/mo`).join('; ')}`,
  );
  say(`NSF / overdraft incidents: ${cf.nsf_overdraft.count}`);
  say(
    `curl -s '${api.baseUrl}/v1/customers/${customer.id}/cash-flow?months=6&end_date=2025-06-30' -H 'authorization: Bearer ${key}'`,
  );
  return close;
}
