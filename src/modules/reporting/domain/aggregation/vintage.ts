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
  const byLoan = new Map<string, VintageEvent[]>();
  for (const e of events) {
    const list = byLoan.get(e.loanId) ?? [];
    list.push(e);
    byLoan.set(e.loanId, list);
  }
  const acc = new VintageAccumulator(asOf);
  for (const l of loans) acc.add(l, byLoan.get(l.loanId) ?? []);
  return acc.vintages();
}

/** The vintages folded one loan (with its events) at a time, so a report streams the book. */
export class VintageAccumulator {
  readonly #groups = new Map<
    string,
    { loans: number; originated: Minor; loss: Map<number, Minor>; prepaid: Map<number, Minor> }
  >();

  constructor(readonly asOf: CalendarDate) {}

  add(l: VintageLoan, events: Iterable<VintageEvent>): void {
    if (l.originationDate > this.asOf) return;
    const v = l.originationDate.slice(0, 7);
    const g = this.#groups.get(v) ?? { loans: 0, originated: 0, loss: new Map(), prepaid: new Map() };
    g.loans++;
    g.originated += l.originalPrincipal;
    this.#groups.set(v, g);
    for (const e of events) {
      if (e.date > this.asOf) continue;
      const mob = Math.max(0, monthIndex(e.date) - monthIndex(v));
      const target = e.kind === 'prepayment' ? g.prepaid : g.loss;
      const signed = e.kind === 'recovery' ? -e.amount : e.amount;
      target.set(mob, (target.get(mob) ?? 0) + signed);
    }
  }

  /** Every vintage in month order, each with a point per month on book through the as-of month. */
  vintages(): Vintage[] {
    return [...this.#groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([vintage, g]) => {
        const months = monthIndex(this.asOf) - monthIndex(vintage);
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
}

/**
 * The principal a loan paid before it fell due, payment by payment: what a payment puts toward principal first
 * settles the principal already due (scheduled on or before its date and not yet paid); the rest is prepaid.
 * `scheduled` and `paid` are the loan's principal due by due date and principal paid by payment date.
 */
export function prepayments(
  loanId: string,
  scheduled: readonly { date: CalendarDate; amount: Minor }[],
  paid: readonly { date: CalendarDate; amount: Minor }[],
): VintageEvent[] {
  const due = [...scheduled].sort((a, b) => a.date.localeCompare(b.date));
  const events: VintageEvent[] = [];
  let dueSoFar = 0;
  let paidSoFar = 0;
  let i = 0;
  for (const p of [...paid].sort((a, b) => a.date.localeCompare(b.date))) {
    while (i < due.length && due[i]!.date <= p.date) dueSoFar += due[i++]!.amount;
    const ahead = paidSoFar + p.amount - Math.max(paidSoFar, dueSoFar);
    paidSoFar += p.amount;
    if (ahead > 0)
      events.push({ loanId, date: p.date, kind: 'prepayment', amount: Math.min(ahead, p.amount) });
  }
  return events;
}
