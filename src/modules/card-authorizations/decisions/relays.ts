import type { ProviderResolver } from '../../../providers/index.js';
import type { CardRelay, RelayHeaders } from '../domain/relay.js';
import type { Binding } from './items.js';

/** A card_issuing config as the relay route uses it. */
export interface BoundRelay {
  relay: CardRelay;
  binding: Binding;
  /** An inactive relay still books lifecycle messages, but approves nothing new. */
  active: boolean;
  verify(rawBody: Buffer, headers: RelayHeaders, now: Date): boolean;
}

/** Looks a relay up by its config id (the id in the relay URL), through the resolver's cache. */
export class CardRelays {
  readonly #bound = new WeakMap<object, BoundRelay>();

  constructor(private readonly resolver: ProviderResolver) {}

  async find(configId: string): Promise<BoundRelay | undefined> {
    const resolved = await this.resolver.byId('card_issuing', configId);
    if (!resolved) return undefined;
    const hit = this.#bound.get(resolved);
    if (hit) return hit;
    const relay = resolved.instance;
    const bound: BoundRelay = {
      relay,
      active: resolved.isActive,
      binding: {
        tenantId: resolved.tenantId,
        provider: relay.idScope === 'platform' ? resolved.providerKey : `${resolved.providerKey}:${configId}`,
        providerConfigId: configId,
        holdExpiryDays: relay.holdExpiryDays,
        declineRequests: resolved.isActive ? null : 'relay_disabled',
      },
      verify: (rawBody, headers, now) =>
        relay.secrets.some((s) => relay.adapter.verify(rawBody, headers, s, now)),
    };
    this.#bound.set(resolved, bound);
    return bound;
  }
}
