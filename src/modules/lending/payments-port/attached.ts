import { type Column, recordset, type Statement } from '../../../kernel/statement.js';

/**
 * Rows another module writes in a loan's own write statement (the payments module: the payment's new state and
 * its transition, recorded with the loan payment event it caused). They are written only when the loan is: their
 * rows come FROM the loan's `guard`, so a loan that moved on since its read writes nothing of either, and a
 * failure of theirs (a unique key that says someone else recorded the change first) rolls the loan's write back
 * too. One statement, so the loan and the other module's record commit together or not at all.
 *
 * Kinds are grouped in a batch of loan writes: the rows of every write of one kind go in one recordset.
 */
export interface AttachedKind<R> {
  /** Names the kind's CTEs: lower case letters and underscores, unique among the kinds of a statement. */
  name: string;
  columns: readonly Column<R>[];
  /**
   * Data-modifying CTE bodies reading their rows FROM `source` (alias `a`: the columns; only the rows of loans
   * the statement writes). Data-modifying CTEs always run, whether or not anything reads them.
   */
  ctes(source: string): string[];
}

export interface Attached {
  kind: AttachedKind<unknown>;
  rows: readonly unknown[];
}

/** Rows of one kind for a loan write (their type checked here, then carried as the statement needs them). */
export const attach = <R>(kind: AttachedKind<R>, rows: readonly R[]): Attached => ({
  kind: kind as unknown as AttachedKind<unknown>,
  rows,
});

/** What a loan write's attachments add to its statement (`guard`: the CTE that returns the written loans' `k`). */
export function attachedCtes(s: Statement, writes: readonly { attached: readonly Attached[] }[]): string[] {
  const kinds = new Map<string, { kind: AttachedKind<unknown>; rows: { k: number; row: unknown }[] }>();
  writes.forEach((w, k) => {
    for (const a of w.attached) {
      const entry = kinds.get(a.kind.name) ?? { kind: a.kind, rows: [] };
      kinds.set(a.kind.name, entry);
      for (const row of a.rows) entry.rows.push({ k, row });
    }
  });
  const out: string[] = [];
  for (const { kind, rows } of kinds.values()) {
    if (rows.length === 0) continue;
    const columns: Column<{ k: number; row: unknown }>[] = [
      ['k', 'int', (t) => t.k],
      ...kind.columns.map(
        ([name, type, value]): Column<{ k: number; row: unknown }> => [name, type, (t, i) => value(t.row, i)],
      ),
    ];
    const source = `${recordset(s, 'a', rows, columns)} JOIN guard g ON g.k = a.k`;
    kind.ctes(source).forEach((cte, i) => {
      out.push(`attached_${kind.name}_${i} AS (${cte})`);
    });
  }
  return out;
}
