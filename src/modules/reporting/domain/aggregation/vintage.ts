import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';

/**
 * Vintage curves: loans grouped by origination month, and for each month on book the cumulative net loss
 * (charge-offs less recoveries) and the cumulative prepaid principal (paid ahead of schedule, payoffs included),
 * each as a share of the principal the vintage originated. A vintage's curve stops at the as-of month.
 */
export interface VintageLoan {
  loanId: string;
  originationDate: CalendarDate;
  originalPrincipal: Minor;
}

export interface VintageEvent {
  loanId: string;
  date: CalendarDate;
  kind: 'charge_off' | 'recovery' | 'prepayment';
  amount: Minor;
}

export interface VintagePoint {
  monthsOnBook: number;
  netLoss: Minor;
  prepaid: Minor;
  /** Cumulative net loss / originated principal, to 6 decimals. */
  lossRate: string;
  prepaymentRate: string;
}

export interface Vintage {
  vintage: string;
  loans: number;
  originated: Minor;
  points: VintagePoint[];
}

const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
const rate = (part: number, whole: number) =>
  whole === 0 ? '0.000000' : new Decimal(part).div(whole).toFixed(6, Decimal.ROUND_HALF_EVEN);

export function vintageCurves(
  loans: Iterable<VintageLoan>,
  events: Iterable<VintageEvent>,
  asOf: CalendarDate,
): Vintage[] {
  const vintageOf = new Map<string, string>();
  const groups = new Map<
    string,
    { loans: number; originated: Minor; loss: Map<number, Minor>; prepaid: Map<number, Minor> }
  >();
  for (const l of loans) {
    if (l.originationDate > asOf) continue;
    const v = l.originationDate.slice(0, 7);
    vintageOf.set(l.loanId, v);
    const g = groups.get(v) ?? { loans: 0, originated: 0, loss: new Map(), prepaid: new Map() };
    g.loans++;
    g.originated += l.originalPrincipal;
    groups.set(v, g);
  }
  for (const e of events) {
    const v = vintageOf.get(e.loanId);
    if (!v || e.date > asOf) continue;
    const g = groups.get(v)!;
    const mob = Math.max(0, monthIndex(e.date) - monthIndex(v));
    const target = e.kind === 'prepayment' ? g.prepaid : g.loss;
    const signed = e.kind === 'recovery' ? -e.amount : e.amount;
    target.set(mob, (target.get(mob) ?? 0) + signed);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([vintage, g]) => {
      const months = monthIndex(asOf) - monthIndex(vintage);
      const points: VintagePoint[] = [];
      let loss = 0;
      let prepaid = 0;
      for (let mob = 0; mob <= months; mob++) {
        loss += g.loss.get(mob) ?? 0;
        prepaid += g.prepaid.get(mob) ?? 0;
        points.push({
          monthsOnBook: mob,
          netLoss: loss,
          prepaid,
          lossRate: rate(loss, g.originated),
          prepaymentRate: rate(prepaid, g.originated),
        });
      }
      return { vintage, loans: g.loans, originated: g.originated, points };
    });
}
