import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionProblems } from '../../src/providers/contract.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

// The seed's "self-enforcing tests": every provider Plinth ships is checked here, so a new definition with
// incomplete metadata, no schema, no documentation or no simulator fails CI the day it is registered.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('every built-in provider definition', () => {
  it('has complete metadata, a schema, documentation and a simulator or built-in marker', () => {
    const problems = t.ctx.catalog.list().flatMap(definitionProblems);
    expect(problems).toEqual([]);
  });

  it('is listed by GET /v1/providers with a JSON Schema', async () => {
    const tenant = await t.tenant();
    const listed = (await t.call('GET', '/v1/providers', { key: tenant.key })).json().data;
    expect(listed.map((d: { provider_key: string }) => d.provider_key).sort()).toEqual(
      t.ctx.catalog
        .list()
        .map((d) => d.key)
        .sort(),
    );
    for (const d of listed) expect(d.config_schema).toHaveProperty('type');
  });
});
