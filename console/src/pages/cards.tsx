import { api } from '../api/client.js';
import { setQuery, useLocation } from '../router.js';
import { label, money, timestamp } from '../ui/format.js';
import { ListView, PagedView, usePaged } from '../ui/list.js';
import { useInterval, useLoad } from '../ui/load.js';
import { Badge, Field, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';

/** Card authorizations: categories, lines of credit (expensed and available), and the decisions as they arrive. */
export function CardsPage() {
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const categories = useLoad(
    (signal) => api.get('/v1/card-authorizations/expense-categories', { query: { limit: 200 }, signal }),
    [],
  );
  const names = new Map(categories.data?.data.map((c) => [c.id, c.name]));
  const lines = usePaged(
    (before, signal) =>
      api.get('/v1/card-authorizations/lines-of-credit', { query: { limit: 25, before }, signal }),
    [],
  );
  const feed = useLoad(
    (signal) =>
      api.get('/v1/card-authorizations/authorization-requests', {
        query: { limit: 20, status: status || undefined },
        signal,
      }),
    [status],
  );
  // The feed is live: polled every three seconds while the page is open.
  useInterval(feed.reload, 3000, true);
  return (
    <Page title="Card authorizations">
      <h2>Expense categories</h2>
      <ListView loaded={categories} what="categories" empty="No expense categories.">
        {(rows) => (
          <ul class="chips">
            {rows.map((c) => (
              <li key={c.id}>
                <strong>{c.name}</strong> <code>{c.code}</code>{' '}
                {c.terminated_at && <Badge value="terminated" />}
              </li>
            ))}
          </ul>
        )}
      </ListView>
      <h2>Lines of credit</h2>
      <PagedView paged={lines} what="lines of credit" empty="No lines of credit.">
        {(rows) => (
          <Table
            caption="Lines of credit"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'owner',
                label: 'Owner',
                render: (r) => `${label(r.owner_type)} ${r.owner_ref}`,
                sort: (r) => r.owner_ref,
              },
              {
                key: 'category',
                label: 'Category',
                render: (r) => names.get(r.expense_category_id) ?? r.expense_category_id.slice(0, 8),
              },
              {
                key: 'limit',
                label: 'Limit',
                render: (r) => money(r.credits_limit, r.currency),
                sort: (r) => r.credits_limit,
                numeric: true,
              },
              {
                key: 'expensed',
                label: 'Expensed',
                render: (r) => money(r.expensed_credits, r.currency),
                sort: (r) => r.expensed_credits,
                numeric: true,
              },
              {
                key: 'available',
                label: 'Available',
                render: (r) => money(r.available_credits, r.currency),
                sort: (r) => r.available_credits,
                numeric: true,
              },
            ]}
          />
        )}
      </PagedView>
      <h2>Decisions</h2>
      <Field id="feed-status" label="Status">
        <input
          id="feed-status"
          list="feed-statuses"
          value={status}
          onChange={(e) => setQuery({ status: e.currentTarget.value.trim() || undefined })}
        />
      </Field>
      <ListView
        loaded={feed}
        what="feed"
        empty={<>No authorization requests{status ? ` with status ${status}` : ''}.</>}
      >
        {(rows) => (
          <Table
            caption="Authorization decisions, newest first"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { key: 'at', label: 'At', render: (r) => timestamp(r.created_at), sort: (r) => r.created_at },
              {
                key: 'status',
                label: 'Decision',
                render: (r) => <Badge value={r.status} />,
                sort: (r) => r.status,
              },
              {
                key: 'reason',
                label: 'Reason',
                render: (r) => (r.decline_reason ? label(r.decline_reason) : '—'),
              },
              {
                key: 'amount',
                label: 'Authorized',
                render: (r) => money(r.amount_authorized, r.currency),
                sort: (r) => r.amount_authorized,
                numeric: true,
              },
              {
                key: 'owner',
                label: 'Owner',
                render: (r) => `${label(r.owner_type ?? '')} ${r.owner_ref ?? ''}`,
              },
              {
                key: 'merchant',
                label: 'Merchant',
                render: (r) => String((r.merchant as { name?: string } | null)?.name ?? '—'),
              },
            ]}
          />
        )}
      </ListView>
    </Page>
  );
}
