import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { CashFlowTransaction } from './types.js';

/**
 * NSF and overdraft incidents. A fee whose description names non-sufficient funds, a returned item or an
 * overdraft is one incident; so is a run of days below zero on a deposit account, unless such a fee was charged
 * on that account from the day before the run began to three days after (the fee and the negative balance are
 * then the same event). Reversed fees (positive amounts) are not incidents.
 */

const NSF = /\bNSF\b|NON[- ]?SUFFICIENT|INSUFFICIENT FUNDS|RETURNED? ITEM|RETURN(ED)? CHECK/i;
const OVERDRAFT = /OVERDRAFT|\bOD (FEE|PROTECTION|CHARGE)\b|OVERDRAWN/i;

export type FeeKind = 'nsf' | 'overdraft';

export function feeKind(t: CashFlowTransaction): FeeKind | null {
  if (t.amount >= 0) return null;
  if (NSF.test(t.description)) return 'nsf';
  if (OVERDRAFT.test(t.description)) return 'overdraft';
  return null;
}

export interface NegativeEpisode {
  accountId: string;
  start: CalendarDate;
  days: number;
}

export interface NsfOverdraftSummary {
  /** Incidents: fees, plus negative-balance episodes without a fee. */
  count: number;
  nsfFees: number;
  overdraftFees: number;
  negativeBalanceEpisodes: number;
  negativeBalanceDays: number;
}

export function nsfOverdraft(
  transactions: readonly CashFlowTransaction[],
  episodes: readonly NegativeEpisode[],
): NsfOverdraftSummary {
  const fees = transactions.flatMap((t) => {
    const kind = feeKind(t);
    return kind ? [{ t, kind }] : [];
  });
  const explained = (e: NegativeEpisode) =>
    fees.some(
      ({ t }) =>
        t.accountId === e.accountId && t.date >= addDays(e.start, -1) && t.date <= addDays(e.start, 3),
    );
  return {
    count: fees.length + episodes.filter((e) => !explained(e)).length,
    nsfFees: fees.filter((f) => f.kind === 'nsf').length,
    overdraftFees: fees.filter((f) => f.kind === 'overdraft').length,
    negativeBalanceEpisodes: episodes.length,
    negativeBalanceDays: episodes.reduce((a, e) => a + e.days, 0),
  };
}
