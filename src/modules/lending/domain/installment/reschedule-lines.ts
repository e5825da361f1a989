import type { Minor } from '../../../../kernel/money.js';
import type { Ctx } from './servicing.js';

/** Paid principal settling moved between installments (by number). */
export interface Move {
  from: number;
  to: number;
  amount: Minor;
}

/**
 * The payments' lines after settling moved paid principal between installments, so each payment's lines say which
 * installment each amount went to and still sum to it (Fineract reprocesses the transactions over the changed
 * schedule: AdvancedPaymentScheduleTransactionProcessor). A move is taken from the latest payments' principal lines
 * on its source first (the most recent prepayment is what settling re-assigns) and recorded on the same payment
 * against its destination, with the line's bucket (both installments are not yet due). Records are replaced, not
 * changed: a continued replay shares them (replay-during.ts).
 */
export function moveLines(ctx: Ctx, moves: readonly Move[]): void {
  for (const m of moves) {
    let left = m.amount;
    for (let k = ctx.payments.length - 1; k >= 0 && left > 0; k--) {
      const p = ctx.payments[k]!;
      const at = p.lines.findIndex((l) => l.installment === m.from && l.component === 'principal');
      if (p.reversedOn !== null || at < 0) continue;
      const source = p.lines[at]!;
      const take = Math.min(left, source.amount);
      left -= take;
      const lines = p.lines.map((l) => (l === source ? { ...l, amount: l.amount - take } : l));
      const into = lines.findIndex(
        (l) => l.installment === m.to && l.component === 'principal' && l.bucket === source.bucket,
      );
      if (into >= 0) lines[into] = { ...lines[into]!, amount: lines[into]!.amount + take };
      else lines.splice(m.to < m.from ? at : at + 1, 0, { ...source, installment: m.to, amount: take });
      ctx.payments[k] = { ...p, lines: lines.filter((l) => l.amount > 0) };
    }
  }
}
