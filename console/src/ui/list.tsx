import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client.js';
import type { Page } from '../api/types.js';
import { type Loaded, useLoad } from './load.js';
import { Empty, ErrorNotice, Loading } from './parts.js';

/**
 * A server-paged list: the API's cursor (`next_before`) walks forward, a stack of cursors walks back. Filters are
 * part of `deps`: changing one starts again at the first page.
 */
export function usePaged<T>(
  fetchPage: (before: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  deps: unknown[],
) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const key = JSON.stringify(deps);
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    setCursors([undefined]);
  }
  const before = cursors.at(-1);
  const loaded = useLoad((signal) => fetchPage(before, signal), [key, before]);
  return {
    ...loaded,
    page: cursors.length,
    next: loaded.data?.next_before ? () => setCursors([...cursors, loaded.data!.next_before!]) : undefined,
    previous: cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : undefined,
  };
}

/** A loaded list in its states: loading, failed (with a retry), empty, or its rows. */
export function ListView<T>(props: {
  loaded: Loaded<{ data: T[] }>;
  what: string;
  empty: ComponentChildren;
  children: (rows: T[]) => ComponentChildren;
}) {
  const { loaded } = props;
  return (
    <>
      {loaded.error && <ErrorNotice error={loaded.error as ApiError} retry={loaded.reload} />}
      {loaded.loading && !loaded.data && <Loading what={props.what} />}
      {loaded.data &&
        (loaded.data.data.length === 0 ? <Empty>{props.empty}</Empty> : props.children(loaded.data.data))}
    </>
  );
}

export function PagedView<T>(props: {
  paged: ReturnType<typeof usePaged<T>>;
  what: string;
  empty: ComponentChildren;
  children: (rows: T[]) => ComponentChildren;
}) {
  const { paged } = props;
  return (
    <div aria-busy={paged.loading}>
      <ListView loaded={paged} what={props.what} empty={props.empty}>
        {props.children}
      </ListView>
      {(paged.previous || paged.next) && (
        <nav class="pager" aria-label={`Pages of ${props.what}`}>
          <button type="button" onClick={paged.previous} disabled={!paged.previous}>
            Previous
          </button>
          <span>Page {paged.page}</span>
          <button type="button" onClick={paged.next} disabled={!paged.next}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
