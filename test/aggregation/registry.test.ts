import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinancialProviderDefinition } from '../../src/modules/aggregation/domain/provider.js';
import {
  aggregationRegistries,
  financialDefinitionProblems,
} from '../../src/modules/aggregation/registry.js';
import { definitionProblems } from '../../src/providers/contract.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

// The seed's self-enforcing tests for financial-data providers: every registered definition declares a valid
// category, auth type and capabilities, keeps its required settings in its config schema, and is tested against
// a simulator (or is built in).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const definitions = () =>
  (t.ctx.catalog.registry('financial_data')?.list() ?? []) as FinancialProviderDefinition[];

describe('financial_data registry', () => {
  it('holds Schwab, Alpaca and the Chase file import', () => {
    expect(definitions().map((d) => d.key)).toEqual(['alpaca', 'chase_file', 'schwab']);
  });

  it('every definition passes the framework contract and the financial-data checks', () => {
    expect(
      definitions().flatMap((d) => [...definitionProblems(d), ...financialDefinitionProblems(d)]),
    ).toEqual([]);
  });

  it('the checks catch incomplete metadata', () => {
    const [schwab] = definitions().filter((d) => d.key === 'schwab');
    const broken = {
      ...schwab!,
      key: 'broken',
      metadata: { ...schwab!.metadata, category: 'bank_ish', capabilities: [], fileFormats: ['csv'] },
      secretFields: [],
    } as unknown as FinancialProviderDefinition;
    expect(financialDefinitionProblems(broken)).toEqual([
      'financial_data/broken: category bank_ish is not valid',
      'financial_data/broken: no capabilities',
      'financial_data/broken: only file-import providers read file formats',
      'financial_data/broken: an OAuth provider must keep its client secret in a secret field',
    ]);
    expect(() => aggregationRegistries()[0]!.register(schwab!)).toThrow(/already registered/);
  });

  it('the instance each definition builds matches its declared auth type', () => {
    const configs: Record<string, unknown> = {
      schwab: { client_id: 'id', client_secret: 'secret' },
      alpaca: {},
      chase_file: {},
    };
    for (const d of definitions()) {
      const instance = d.create(d.configSchema.parse(configs[d.key]), {
        logger: t.ctx.logger,
        now: () => new Date(),
      });
      expect(instance.authType).toBe(d.metadata.authType);
    }
  });

  it('GET /v1/financial-providers lists them with their metadata', async () => {
    const tenant = await t.tenant();
    const r = await t.call('GET', '/v1/financial-providers', { key: tenant.key });
    expect(r.json().data).toContainEqual({
      provider_key: 'schwab',
      display_name: 'Charles Schwab',
      category: 'brokerage',
      auth_type: 'oauth',
      capabilities: ['accounts', 'transactions', 'holdings'],
      required_settings: ['client_id', 'client_secret'],
      secret_fields: ['client_secret'],
      file_formats: null,
      documentation: expect.stringContaining('schwab'),
      tested_with: 'sandbox/simulators/schwab',
    });
    expect(
      r.json().data.find((d: { provider_key: string }) => d.provider_key === 'chase_file'),
    ).toMatchObject({
      category: 'bank',
      auth_type: 'file_import',
      file_formats: ['ofx'],
    });
  });

  it('provider configs mask the Schwab app secret', async () => {
    const tenant = await t.tenant('Masked');
    const r = await t.call('POST', '/v1/provider-configs', {
      key: tenant.key,
      body: {
        label: 'schwab',
        service_type: 'financial_data',
        provider_key: 'schwab',
        config: { client_id: 'app-key', client_secret: 'app-secret-0123456789' },
      },
    });
    expect(r.statusCode).toBe(201);
    expect(JSON.stringify(r.json())).not.toContain('app-secret-0123456789');
  });
});
