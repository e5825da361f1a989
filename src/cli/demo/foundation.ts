import { type DemoClient, expectStatus, say, section } from './client.js';

export interface DemoTenant {
  id: string;
  key: string;
  operatorKey: string;
}

/** Tenancy, keys, customers, providers: the foundation every other step builds on. */
export async function foundationTour(api: DemoClient, adminToken: string): Promise<DemoTenant> {
  section('Tenant, API keys and customers');
  const created = await expectStatus(
    api.call<{ tenant: { id: string; name: string }; api_key: string }>('POST', '/v1/tenants', {
      key: adminToken,
      body: { name: 'Demo Lender', time_zone: 'America/New_York' },
    }),
    201,
    'create tenant',
  );
  const key = created.api_key;
  say(`tenant ${created.tenant.name} ${created.tenant.id}`);
  say(`admin API key (shown once): ${key}`);
  const operator = await expectStatus(
    api.call<{ api_key: string; prefix: string }>('POST', '/v1/api-keys', {
      key,
      body: { name: 'back office', role: 'operator' },
    }),
    201,
    'create operator key',
  );
  say(`operator key ${operator.prefix}… created`);

  const denied = await api.call('GET', '/v1/customers', { key: 'plk_not_a_real_key' });
  say(`a forged key gets ${denied.status}`);
  const bad = await api.call<{ errors: { path: string }[] }>('POST', '/v1/customers', {
    key,
    body: { legal_name: 'X', phone: '555-1234' },
  });
  say(`a bad phone number gets ${bad.status} naming ${bad.body.errors.map((e) => e.path).join(', ')}`);

  const providers = await expectStatus(
    api.call<{ data: { service_type: string; provider_key: string }[] }>('GET', '/v1/providers', { key }),
    200,
    'list providers',
  );
  const byType = new Map<string, string[]>();
  for (const p of providers.data)
    byType.set(p.service_type, [...(byType.get(p.service_type) ?? []), p.provider_key]);
  say(
    `registered providers: ${[...byType].map(([t, keys]) => `${t} [${keys.join(', ')}]`).join('; ') || 'none yet'}`,
  );
  return { id: created.tenant.id, key, operatorKey: operator.api_key };
}
