import { type ProviderDefinition, Registry } from '../../providers/index.js';
import type { CardRelay } from './domain/relay.js';
import type { ExpenseCategoryResolver, LineOfCreditResolver } from './domain/resolvers.js';
import { cardOwnerResolver } from './providers/card_owner/index.js';
import { genericCardProvider } from './providers/generic/index.js';
import { lithicProvider } from './providers/lithic/index.js';
import { mccRulesResolver } from './providers/mcc_rules/index.js';
import { stripeIssuingProvider } from './providers/stripe_issuing/index.js';

declare module '../../providers/index.js' {
  interface Capabilities {
    // biome-ignore lint/suspicious/noExplicitAny: definitions of every config type.
    card_issuing: ProviderDefinition<any, CardRelay>;
    // biome-ignore lint/suspicious/noExplicitAny: definitions of every config type.
    expense_category_resolver: ProviderDefinition<any, ExpenseCategoryResolver>;
    // biome-ignore lint/suspicious/noExplicitAny: definitions of every config type.
    line_of_credit_resolver: ProviderDefinition<any, LineOfCreditResolver>;
  }
}

/** The module's registries: card-issuing relays and the two resolver capabilities. */
export function cardAuthorizationRegistries(): Registry[] {
  return [
    new Registry('card_issuing')
      .register(stripeIssuingProvider)
      .register(lithicProvider)
      .register(genericCardProvider),
    new Registry('expense_category_resolver').register(mccRulesResolver),
    new Registry('line_of_credit_resolver').register(cardOwnerResolver),
  ];
}
