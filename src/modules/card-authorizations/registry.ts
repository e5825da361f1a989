import { Registry } from '../../providers/registry.js';
import { cardOwnerResolver } from './providers/card_owner/index.js';
import { genericCardProvider } from './providers/generic/index.js';
import { lithicProvider } from './providers/lithic/index.js';
import { mccRulesResolver } from './providers/mcc_rules/index.js';
import { stripeIssuingProvider } from './providers/stripe_issuing/index.js';

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
