import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../kernel/paths.js';
import { closeThrough, type DemoClient, expectStatus, money, say, section } from './client.js';
import type { DemoTenant } from './foundation.js';

type Json = Record<string, unknown>;

const SAMPLE = join(PROJECT_ROOT, 'src/modules/compliance/domain/ofac/sample');

/**
 * Compliance rules on a tenant of their own (so the other tours are not gated): a Texas rate cap, the SCRA and
 * OFAC screening configured as compliance_rule providers, a sample SDN list loaded, a listed name refused at
 * onboarding, a loan over the cap refused at approval, and a servicemember's loan re-computed at 6% from the start
 * of active duty when a payment is collected. Every evaluation is listed at the end.
 */
export async function complianceTour(api: DemoClient, adminToken: string): Promise<void> {
  section('Compliance rules: rate cap, SCRA, OFAC');
  const created = await expectStatus(
    api.call<{ api_key: string }>('POST', '/v1/tenants', {
      key: adminToken,
      body: { name: 'Demo Regulated Lender' },
    }),
    201,
    'compliance tenant',
  );
  const key = created.api_key;
  const call = <T = Json>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, path, { key, body });
  const post = <T = Json>(path: string, body?: unknown) =>
    expectStatus(call<T>('POST', path, body), 201, path);

  await expectStatus(call('PUT', '/v1/business-date', { business_date: '2024-01-15' }), 200, 'business date');
  const program = await post<{ id: string }>('/v1/programs', {
    name: 'Personal loans (TX)',
    program_type: 'installment_loan',
    terms: {
      currency: 'USD',
      annual_interest_rate: { min: '5', max: '24.99', default: '9.5' },
      term_count: { min: 6, max: 60, default: 12 },
      principal: { min: 100_000, max: 5_000_000 },
    },
  });
  const rule = (provider_key: string, config: Json) =>
    post('/v1/provider-configs', {
      label: provider_key,
      service_type: 'compliance_rule',
      provider_key,
      config,
    });
  await rule('state_rate_cap', {
    caps: [
      {
        state: 'TX',
        max_rate_percent: '10',
        rate_basis: 'note_rate',
        citation: 'Tex. Fin. Code 342.201 (demo)',
      },
    ],
  });
  await rule('scra', {});
  await rule('ofac_screening', {});
  say('rules on: state_rate_cap (TX ≤ 10% note rate), scra, ofac_screening');

  const form = new FormData();
  form.append('sdn', new Blob([readFileSync(join(SAMPLE, 'sdn.csv'))]), 'sdn.csv');
  form.append('alt', new Blob([readFileSync(join(SAMPLE, 'alt.csv'))]), 'alt.csv');
  form.append('source', 'the sample list shipped for tests');
  const upload = await fetch(`${api.baseUrl}/v1/compliance/ofac-lists`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  const list = (await upload.json()) as Json;
  if (upload.status !== 201) throw new Error(`OFAC upload: ${JSON.stringify(list)}`);
  say(`OFAC list loaded: ${list.entries} entries, ${list.aliases} aliases`);

  const address = { lines: ['1 Congress Ave'], city: 'Austin', state: 'TX', country: 'US' };
  const listed = await call<Json>('POST', '/v1/customers', {
    legal_name: 'Elias Viktor Quartermaine',
    date_of_birth: '1971-03-14',
    address,
  });
  say(
    `onboarding a listed name: ${listed.status} ${listed.body.code}, ${listed.body.rule} (${listed.body.citation})`,
  );
  const borrower = await post<{ id: string }>('/v1/customers', {
    legal_name: 'Ada Servicemember',
    address,
    time_zone: 'America/Chicago',
    active_duty_start_date: '2024-02-01',
  });

  const loan = (rate: string) =>
    post<{ id: string }>('/v1/loans', {
      program_id: program.id,
      customer_id: borrower.id,
      principal: 1_000_000,
      annual_interest_rate: rate,
      disbursement_date: '2024-01-15',
    });
  const over = await loan('18');
  const refused = await call<Json>('POST', `/v1/loans/${over.id}/approve`);
  say(`approving 18% in Texas: ${refused.status} ${refused.body.code}: ${refused.body.detail}`);
  const ok = await loan('9.5');
  await post(`/v1/loans/${ok.id}/approve`);
  await post(`/v1/loans/${ok.id}/disburse`);
  say(`approved and disbursed ${money(1_000_000)} at 9.5%`);

  await closeThrough(api, key, '2024-03-01');
  const paid = await post<{
    compliance?: { checks: { rule: string; outcome: string; remedy: Json | null }[] };
  }>(`/v1/loans/${ok.id}/payments`, { amount: 87_700 });
  const scra = paid.compliance?.checks.find((c) => c.rule === 'scra');
  say(
    `a payment after active duty began: scra ${scra?.outcome}, remedy ${JSON.stringify(scra?.remedy)}: the loan is re-computed at 6% from 2024-02-01`,
  );
  const details = (
    await call<{ transactions: { type: string; effective_date: string }[] }>('GET', `/v1/loans/${ok.id}`)
  ).body;
  say(`  transactions: ${details.transactions.map((e) => `${e.type} ${e.effective_date}`).join(', ')}`);

  const checks = (await call<{ data: Json[] }>('GET', '/v1/compliance/checks?limit=100')).body.data;
  const tally = new Map<string, number>();
  for (const c of checks) tally.set(`${c.rule} ${c.outcome}`, (tally.get(`${c.rule} ${c.outcome}`) ?? 0) + 1);
  say(`evaluations stored for audit: ${[...tally].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
}

/** Reports over the main demo tenant's loans: aging with its chart, the trial balance, the loan tape as XLSX. */
export async function reportingTour(api: DemoClient, tenant: DemoTenant): Promise<void> {
  section('Reports: aging, trial balance, loan tape');
  const key = tenant.key;
  const list = (await api.call<{ data: { key: string }[] }>('GET', '/v1/reports', { key })).body.data;
  say(`${list.length} report generators: ${list.map((g) => g.key).join(', ')}`);
  const runReport = async (report: string, params: Json, format = 'jsonl') => {
    const started = await expectStatus(
      api.call<{ id: string }>('POST', `/v1/reports/${report}/runs`, { key, body: { format, params } }),
      202,
      `run ${report}`,
    );
    for (;;) {
      const run = (await api.call<Json>('GET', `/v1/report-runs/${started.id}`, { key })).body;
      if (run.status === 'failed') throw new Error(`${report}: ${run.error}`);
      if (run.status === 'succeeded') return run as Json & { id: string; summary: { figures: Json[] } };
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const figures = (run: { summary: { figures: Json[] } }) =>
    run.summary.figures.map((f) => `${f.label} ${f.value}`).join('; ');
  const aging = await runReport('delinquency_aging', {});
  say(`delinquency_aging: ${figures(aging)}`);
  say(`  chart: ${api.baseUrl}/v1/report-runs/${aging.id}/chart.svg`);
  const tb = await runReport('gl_trial_balance', { as_of: '2024-12-31' });
  say(`gl_trial_balance: ${figures(tb)}`);
  const metro2 = await runReport('metro2_credit_reporting', {
    identification_number: 'PLINTHDEMO1',
    reporter_name: 'Plinth Demo Lender',
    reporter_address: '1 Main St, Springfield IL 62701',
  });
  const records = (
    await (
      await fetch(`${api.baseUrl}${metro2.download_url}`, { headers: { authorization: `Bearer ${key}` } })
    ).text()
  )
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { record_type: string; account_status: string | null });
  const statuses = new Map<string, number>();
  for (const r of records)
    if (r.record_type === 'base') statuses.set(r.account_status!, (statuses.get(r.account_status!) ?? 0) + 1);
  say(
    `metro2_credit_reporting: ${records.length} records of 426 bytes; account statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`,
  );
  const tape = await runReport('loan_tape', {}, 'xlsx');
  say(`loan_tape (XLSX, ${tape.bytes} bytes): ${api.baseUrl}${tape.download_url}`);
}
