import type { ProviderAccountData, ProviderHoldingData } from './types.js';

/** What a statement or sync says about an account's balance, and when that was true. */

/** The holdings' total market value, when every holding has one (else unknown). */
export function holdingsValue(list: readonly ProviderHoldingData[]): number | null {
  let total = 0;
  for (const h of list) {
    if (h.marketValue === null) return null;
    total += h.marketValue;
  }
  return total;
}

/**
 * When the account's figures (balance, available balance, cash, holdings value) were true: the source's own date,
 * else `now` (a provider's API answers with the current balance). Null when the source gives no figure at all (a
 * statement file without LEDGERBAL, AVAILBAL, INVBAL or valued positions): there is then no balance to record, so
 * no snapshot is written and the account keeps the balance it had. Stamping such a statement with the import time
 * would invent a balance, and make every older statement imported later look stale.
 */
export function figuresAsOf(
  account: ProviderAccountData,
  valueOfHoldings: number | null,
  now: Date,
): Date | null {
  const anyFigure =
    account.balance !== null ||
    account.availableBalance !== null ||
    account.cashBalance !== null ||
    valueOfHoldings !== null;
  if (!anyFigure) return null;
  return account.balanceAsOf ? new Date(account.balanceAsOf) : now;
}
