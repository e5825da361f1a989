import { Registry } from '../../providers/registry.js';
import type { AnyProviderDefinition } from '../../providers/types.js';

/**
 * The lending program types. A program's `program_type` is a key here and its `terms` are validated by the
 * definition's config schema.
 */
export function lendingProgramRegistry(definitions: readonly AnyProviderDefinition[] = []): Registry {
  const registry = new Registry('lending_program');
  for (const def of definitions) registry.register(def);
  return registry;
}
