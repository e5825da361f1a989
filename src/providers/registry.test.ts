import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cardAuthorizationRegistries } from '../modules/card-authorizations/index.js';
import { Registry } from './registry.js';
import type { AnyProviderDefinition } from './types.js';

const definition = (configSchema: z.ZodType): AnyProviderDefinition => ({
  serviceType: 'payment_processor',
  key: 'lax',
  displayName: 'Lax',
  metadata: { documentation: 'x', requiredSettings: [], testedWith: 'built-in' },
  configSchema,
  secretFields: [],
  create: () => ({}),
});

describe('registering a provider definition', () => {
  it('refuses a config schema that accepts fields it does not name, at any depth', () => {
    const registry = new Registry('payment_processor');
    expect(() => registry.register(definition(z.object({ api_key: z.string() })))).toThrow(
      /payment_processor\/lax: config schema accepts unknown fields at \(root\)/,
    );
    expect(() =>
      registry.register(definition(z.strictObject({ oauth: z.looseObject({ secret: z.string() }) }))),
    ).toThrow(/at oauth/);
    expect(() =>
      registry.register(
        definition(z.strictObject({ rules: z.array(z.object({ code: z.string() })).optional() })),
      ),
    ).toThrow(/at rules/);
  });

  it('accepts closed objects, and records (maps whose keys are data) of closed values', () => {
    const registry = new Registry('payment_processor');
    registry.register(
      definition(
        z.strictObject({
          region: z.enum(['us', 'eu']).default('us'),
          headers: z.record(z.string(), z.string()),
          nested: z.strictObject({ a: z.number() }).optional(),
        }),
      ),
    );
    expect(registry.keys()).toEqual(['lax']);
    expect(() =>
      new Registry('payment_processor').register(
        definition(z.strictObject({ byName: z.record(z.string(), z.object({ a: z.number() })) })),
      ),
    ).toThrow(/at byName\.\*/);
  });

  it('holds for the card-issuing relays, whose configs carry webhook secrets', () => {
    expect(cardAuthorizationRegistries().map((r) => r.keys())).toContainEqual([
      'generic',
      'lithic',
      'stripe_issuing',
    ]);
  });
});

describe('the definition contract', () => {
  it('wants every URL field of a config declared as an endpoint, and every endpoint in the schema', async () => {
    const { definitionProblems } = await import('./contract.js');
    const def = {
      ...definition(z.strictObject({ base_url: z.url().optional(), callback: z.url() })),
      endpoints: { base_url: ['api.vendor.example'], missing: 'plinth' as const },
    };
    expect(definitionProblems(def)).toEqual([
      'payment_processor/lax: URL field callback is not declared in endpoints',
      'payment_processor/lax: endpoint field missing is not in the config schema',
    ]);
  });
});
