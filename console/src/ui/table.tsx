import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export interface Column<R> {
  key: string;
  label: string;
  render: (r: R) => ComponentChildren;
  /** The value to sort by; a column without one does not sort. */
  sort?: (r: R) => string | number | null;
  numeric?: boolean;
}

/**
 * A table that sorts the rows it shows by any sortable column (click or Enter on the header). Filtering and paging
 * are the server's (each list page passes its filters to the API); sorting orders the page at hand.
 */
export function Table<R>(props: {
  rows: R[];
  columns: Column<R>[];
  rowKey: (r: R) => string;
  caption: string;
}) {
  const [order, setOrder] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const rows = useMemo(() => {
    const col = order && props.columns.find((c) => c.key === order.key);
    if (!col?.sort) return props.rows;
    const by = col.sort;
    return [...props.rows].sort((a, b) => {
      const x = by(a);
      const y = by(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * order!.dir;
    });
  }, [props.rows, props.columns, order]);
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => {
              const sorted = order?.key === c.key ? order.dir : 0;
              return (
                <th
                  key={c.key}
                  scope="col"
                  class={c.numeric ? 'num' : ''}
                  aria-sort={sorted === 1 ? 'ascending' : sorted === -1 ? 'descending' : undefined}
                >
                  {c.sort ? (
                    <button
                      type="button"
                      class="sort"
                      onClick={() => setOrder({ key: c.key, dir: sorted === 1 ? -1 : 1 })}
                    >
                      {c.label}
                      <span aria-hidden="true">{sorted === 1 ? ' ▲' : sorted === -1 ? ' ▼' : ''}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={props.rowKey(r)}>
              {props.columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : ''} data-label={c.label}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
