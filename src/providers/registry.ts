import { z } from 'zod';
import { openObjects } from './strict-schema.js';
import type { AnyProviderDefinition, DefinitionOf, ServiceType } from './types.js';

/** Maps provider keys to definitions for one service type. */
export class Registry<D extends AnyProviderDefinition = AnyProviderDefinition> {
  readonly #byKey = new Map<string, D>();

  constructor(readonly serviceType: ServiceType) {}

  register(def: D): this {
    if (def.serviceType !== this.serviceType) {
      throw new Error(`${def.key} is a ${def.serviceType} provider, not ${this.serviceType}`);
    }
    if (this.#byKey.has(def.key))
      throw new Error(`${this.serviceType} provider ${def.key} is already registered`);
    // Once, for every definition of every module: a config that accepts unknown fields can hold a misspelled
    // secret that masking does not know, stored and shown in clear. Closed schemas make it a 422 naming the field.
    const open = openObjects(configJsonSchema(def));
    if (open.length > 0)
      throw new Error(
        `${def.serviceType}/${def.key}: config schema accepts unknown fields at ${open.join(', ')} (use z.strictObject)`,
      );
    this.#byKey.set(def.key, def);
    return this;
  }

  registerAll(defs: readonly D[]): this {
    for (const def of defs) this.register(def);
    return this;
  }

  get(key: string): D | undefined {
    return this.#byKey.get(key);
  }

  keys(): string[] {
    return [...this.#byKey.keys()].sort();
  }

  list(): D[] {
    return this.keys().map((k) => this.#byKey.get(k)!);
  }
}

/** Every registry the application assembled, looked up by service type. */
export class Catalog {
  readonly #registries = new Map<ServiceType, Registry>();

  constructor(registries: Registry[]) {
    for (const r of registries) {
      if (this.#registries.has(r.serviceType)) throw new Error(`two registries for ${r.serviceType}`);
      this.#registries.set(r.serviceType, r);
    }
  }

  registry<S extends ServiceType>(serviceType: S): Registry<DefinitionOf<S>> | undefined {
    return this.#registries.get(serviceType) as Registry<DefinitionOf<S>> | undefined;
  }

  get<S extends ServiceType>(serviceType: S, key: string): DefinitionOf<S> | undefined {
    return this.registry(serviceType)?.get(key);
  }

  serviceTypes(): ServiceType[] {
    return [...this.#registries.keys()].sort();
  }

  list(): AnyProviderDefinition[] {
    return this.serviceTypes().flatMap((t) => this.#registries.get(t)!.list());
  }
}

/** The config schema as JSON Schema, for `GET /v1/providers` and the OpenAPI document. */
export function configJsonSchema(def: AnyProviderDefinition): unknown {
  return z.toJSONSchema(def.configSchema, { io: 'input', unrepresentable: 'any' });
}
