import { createHash } from 'node:crypto';
import type { RawQuery } from './db.js';

/**
 * A statement written by hand for a hot path: its text has `$1, $2, ...` in the order values are added, and is
 * the same for every call of one shape (only the values change), so it runs as a named prepared statement that
 * PostgreSQL parses and plans once per connection. Composing it costs string concatenation, not a query builder.
 */
export class Statement {
  readonly values: unknown[] = [];

  /** The placeholder of a new value; `cast` names its type where PostgreSQL cannot infer it from the context. */
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** Names by text: a prepared statement's name must always stand for the same text, so it is derived from it. */
const names = new Map<string, string>();

/** Runs `text` with `s`'s values as a named prepared statement; returns its rows. */
export async function runStatement<T>(raw: RawQuery, text: string, s: Statement): Promise<T[]> {
  let name = names.get(text);
  if (name === undefined) {
    // Statement shapes are few; the bound only guards against a caller that puts values into the text.
    if (names.size > 1000) names.clear();
    name = `p_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    names.set(text, name);
  }
  return (await raw.query<T>(text, s.values, name)).rows;
}

/** A column of a recordset: its name, its SQL type, and its value for an item. */
export type Column<T> = [name: string, type: string, value: (item: T, index: number) => unknown];

/** `items` as the json `recordsetSql` reads back as rows. */
export function recordsetJson<T>(items: readonly T[], columns: readonly Column<T>[]): string {
  const rows = items.map((item, k) => {
    const row: Record<string, unknown> = {};
    for (const [name, , value] of columns) row[name] = value(item, k);
    return row;
  });
  return JSON.stringify(rows);
}

/**
 * Rows from a json parameter (`placeholder`, its value from `recordsetJson`), for statements that take many
 * items at once. The planner cannot see how many rows a json value holds, so every call, of 1 item or 32, shares
 * one generic plan; with arrays (unnest) it would plan each call anew, since a custom plan for the exact count
 * always looks cheaper, and here planning costs more than running.
 */
export const recordsetSql = <T>(placeholder: string, alias: string, columns: readonly Column<T>[]): string =>
  `json_to_recordset(${placeholder}) AS ${alias} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;

/** `items` as rows of a statement being built: recordsetSql over a new json value of `s`. */
export const recordset = <T>(
  s: Statement,
  alias: string,
  items: readonly T[],
  columns: readonly Column<T>[],
) => recordsetSql(s.param(recordsetJson(items, columns), 'json'), alias, columns);
