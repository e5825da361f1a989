import { getTableColumns, getTableName } from 'drizzle-orm';
import type { Statement } from '../../../kernel/statement.js';
import type { LoanProjection, ProductStore, ProductTable } from '../product.js';

/**
 * A product's own tables in a loan's write (servicing/read.ts, servicing/write.ts): the read brings each table's
 * rows of the loan as json, and the write sends only the rows the replay changed (an upsert) and removes the rows
 * the replay no longer has, both taking their loan FROM `guard` so nothing is written when the loan moved on.
 * Products give their tables and rows (ProductTable) and never SQL.
 */

interface Shape {
  name: string;
  /** [field, column] pairs after tenant_id and loan_id. */
  columns: [string, string][];
  /** Column names of the key after tenant_id and loan_id. */
  key: string[];
}

const shapes = new WeakMap<ProductTable, Shape>();

function shapeOf(t: ProductTable): Shape {
  let shape = shapes.get(t);
  if (!shape) {
    const columns = Object.entries(getTableColumns(t.table))
      .filter(([field]) => field !== 'tenantId' && field !== 'loanId')
      .map(([field, c]): [string, string] => [field, c.name]);
    const key = t.key.map((field) => columns.find(([f]) => f === field)![1]);
    shape = { name: getTableName(t.table), columns, key };
    shapes.set(t, shape);
  }
  return shape;
}

/** A json expression of the read statement: per table, the loan's rows as a json array (or null). */
export function productReadSql(store: ProductStore, tenant: string, loan: string): string {
  const tables = store.tables.map((t) => {
    const { name, key } = shapeOf(t);
    const order = key.length > 0 ? ` ORDER BY ${key.map((k) => `t.${k}`).join(', ')}` : '';
    return `(SELECT json_agg(to_jsonb(t)${order}) FROM ${name} t WHERE t.tenant_id = ${tenant} AND t.loan_id = ${loan})`;
  });
  return `json_build_array(${tables.join(', ')})`;
}

/** A row as its table's json (column names), the form the read returns and json_populate_recordset takes. */
const asJson = (shape: Shape, row: object): Record<string, unknown> =>
  Object.fromEntries(shape.columns.map(([f, c]) => [c, (row as Record<string, unknown>)[f] ?? null]));

/** Equal as stored: json brings numerics back as numbers, which the replay may hold as decimal strings. */
const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (a !== null && b !== null && a !== undefined && b !== undefined && String(a) === String(b));

const keyOf = (shape: Shape, json: Record<string, unknown>): string =>
  JSON.stringify(shape.key.map((k) => String(json[k])));

/**
 * The CTE bodies that bring the product's tables from `stored` (what the read found) to the projection's rows:
 * an upsert of the new and changed rows and a delete of the rows gone, per table, each only when there are any.
 */
export function productWriteCtes(
  s: Statement,
  store: ProductStore,
  projection: LoanProjection,
  stored: unknown,
): string[] {
  const found = Array.isArray(stored) ? (stored as (Record<string, unknown>[] | null)[]) : [];
  return store.tables.flatMap((t, i) => {
    const shape = shapeOf(t);
    const before = new Map((found[i] ?? []).map((json) => [keyOf(shape, json), json]));
    const after = t.rows(projection).map((row) => asJson(shape, row));
    const changed = after.filter((json) => {
      const old = before.get(keyOf(shape, json));
      return !old || shape.columns.some(([, c]) => !sameValue(old[c], json[c]));
    });
    const kept = new Set(after.map((json) => keyOf(shape, json)));
    const gone = [...before.entries()].filter(([k]) => !kept.has(k)).map(([, json]) => json);
    return [
      ...(changed.length > 0 ? [upsertSql(s, shape, changed)] : []),
      ...(gone.length > 0 ? [deleteSql(s, shape, gone)] : []),
    ];
  });
}

function upsertSql(s: Statement, shape: Shape, rows: readonly Record<string, unknown>[]): string {
  const names = shape.columns.map(([, c]) => c);
  const set = names.filter((n) => !shape.key.includes(n)).map((n) => `${n} = EXCLUDED.${n}`);
  return `INSERT INTO ${shape.name} (tenant_id, loan_id, ${names.join(', ')})
    SELECT g.tenant, g.loan, ${names.map((n) => `r.${n}`).join(', ')}
      FROM guard g, json_populate_recordset(NULL::${shape.name}, ${s.param(JSON.stringify(rows), 'json')}) AS r
    ON CONFLICT (${['tenant_id', 'loan_id', ...shape.key].join(', ')}) DO UPDATE SET ${set.join(', ')}`;
}

function deleteSql(s: Statement, shape: Shape, rows: readonly Record<string, unknown>[]): string {
  const loan = `t.tenant_id = g.tenant AND t.loan_id = g.loan`;
  if (shape.key.length === 0) return `DELETE FROM ${shape.name} t USING guard g WHERE ${loan}`;
  const keys = rows.map((json) => Object.fromEntries(shape.key.map((k) => [k, json[k]])));
  return `DELETE FROM ${shape.name} t
     USING guard g, json_populate_recordset(NULL::${shape.name}, ${s.param(JSON.stringify(keys), 'json')}) AS k
     WHERE ${loan} AND ${shape.key.map((k) => `t.${k} = k.${k}`).join(' AND ')}`;
}
