import type { Amounts, InstallmentRow } from '../product.js';

const sameAmounts = (a: Amounts, b: Amounts): boolean =>
  a.principal === b.principal &&
  a.interest === b.interest &&
  a.fees === b.fees &&
  a.penalties === b.penalties;

export const sameRow = (a: InstallmentRow, b: InstallmentRow): boolean =>
  a.number === b.number &&
  a.periodStart === b.periodStart &&
  a.dueDate === b.dueDate &&
  a.openingBalance === b.openingBalance &&
  a.interestAccrual === b.interestAccrual &&
  a.accrued === b.accrued &&
  a.lateFeeAssessed === b.lateFeeAssessed &&
  sameAmounts(a.due, b.due) &&
  sameAmounts(a.paid, b.paid) &&
  sameAmounts(a.waived, b.waived);

/** The rows of `next` that are new or differ from the stored ones: all a write needs to send. */
export function changedRows(
  stored: readonly InstallmentRow[],
  next: readonly InstallmentRow[],
): InstallmentRow[] {
  const byNumber = new Map(stored.map((r) => [r.number, r]));
  return next.filter((r) => {
    const s = byNumber.get(r.number);
    return s === undefined || !sameRow(s, r);
  });
}
