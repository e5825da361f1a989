import { z } from 'zod';
import type { ProviderDefinition } from '../../../../providers/index.js';
import { chain, type LineOfCreditResolver } from '../../domain/resolvers.js';

/**
 * Built-in line-of-credit resolver: the card's owner (from the card registry) and that owner's open line for
 * each category. One line per category, or nothing, as the seed requires.
 */
export const cardOwnerResolver: ProviderDefinition<Record<string, never>, LineOfCreditResolver> = {
  serviceType: 'line_of_credit_resolver',
  key: 'card_owner',
  displayName: 'Card owner',
  metadata: {
    documentation: 'src/modules/card-authorizations/README.md#resolvers',
    requiredSettings: [],
    testedWith: 'built-in',
    category: 'card_authorization',
  },
  configSchema: z.strictObject({}),
  secretFields: [],
  create: () => ({
    // Synchronous when the directory has the card and its owner's lines cached (every decision but the first).
    resolveLinesOfCredit: (categoryIds, pending, directory) =>
      chain(directory.cardOwner(pending.cardId), (owner) =>
        owner
          ? chain(directory.openLines(owner.ownerType, owner.ownerRef), (open) =>
              onePerCategory(categoryIds, open),
            )
          : null,
      ),
  }),
};

/** The owner's line for each category, or null when a category has none. */
function onePerCategory(
  categoryIds: ReadonlySet<string>,
  open: ReadonlyMap<string, { readonly id: string }>,
): ReadonlySet<string> | null {
  const lines = new Set<string>();
  for (const category of categoryIds) {
    const line = open.get(category);
    if (!line) return null;
    lines.add(line.id);
  }
  return lines;
}
