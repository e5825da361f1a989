import { useState } from 'preact/hooks';
import { type ApiError, api, send } from '../api/client.js';
import { session } from '../api/session.js';
import { setQuery, useLocation } from '../router.js';
import { BarChart } from '../ui/chart.js';
import { date, label, money, timestamp } from '../ui/format.js';
import { ListView } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, Empty, ErrorNotice, Facts, Field, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';

/** Financial data of one customer: connections, accounts, transactions, statement upload and cash flow. */
export function FinancialDataPage() {
  const { query } = useLocation();
  const customerId = query.get('customer_id') ?? '';
  const customers = useLoad((signal) => api.get('/v1/customers', { query: { limit: 200 }, signal }), []);
  return (
    <Page title="Financial data">
      <Field id="fd-customer" label="Customer">
        <select
          id="fd-customer"
          value={customerId}
          onChange={(e) => setQuery({ customer_id: e.currentTarget.value || undefined, account: undefined })}
        >
          <option value="">Choose a customer…</option>
          {customers.data?.data.map((c) => (
            <option key={c.id} value={c.id}>
              {c.legal_name}
            </option>
          ))}
        </select>
      </Field>
      {customers.error && <ErrorNotice error={customers.error} retry={customers.reload} />}
      {customerId ? (
        <CustomerData customerId={customerId} account={query.get('account') ?? ''} />
      ) : (
        <Empty>Choose a customer to see their linked accounts.</Empty>
      )}
    </Page>
  );
}

function CustomerData(props: { customerId: string; account: string }) {
  const connections = useLoad(
    (signal) => api.get('/v1/connections', { query: { customer_id: props.customerId }, signal }),
    [props.customerId],
  );
  const accounts = useLoad(
    (signal) => api.get('/v1/accounts', { query: { customer_id: props.customerId }, signal }),
    [props.customerId],
  );
  const cash = useLoad(
    (signal) => api.get('/v1/customers/{id}/cash-flow', { path: { id: props.customerId }, signal }),
    [props.customerId],
  );
  const reload = () => {
    accounts.reload();
    cash.reload();
    connections.reload();
  };
  return (
    <>
      {session.can('operator') && <StatementUpload customerId={props.customerId} onImported={reload} />}
      <h2>Connections</h2>
      <ListView loaded={connections} what="connections" empty="No connections.">
        {(rows) => (
          <Table
            caption="Connections"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'provider',
                label: 'Provider',
                render: (r) => label(r.provider),
                sort: (r) => r.provider,
              },
              { key: 'status', label: 'Sync state', render: (r) => <Badge value={r.status} /> },
              { key: 'reason', label: 'Reason', render: (r) => r.status_reason ?? '' },
              {
                key: 'last',
                label: 'Last sync',
                render: (r) => timestamp(r.last_sync_at),
                sort: (r) => r.last_sync_at,
              },
              { key: 'next', label: 'Next sync', render: (r) => timestamp(r.next_sync_at) },
            ]}
          />
        )}
      </ListView>
      <h2>Accounts</h2>
      <ListView
        loaded={accounts}
        what="accounts"
        empty="No linked accounts. Upload a statement to import one."
      >
        {(rows) => (
          <Table
            caption="Accounts"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'name',
                label: 'Account',
                render: (r) => (
                  <button
                    type="button"
                    class="link"
                    onClick={() => setQuery({ account: r.id })}
                    aria-pressed={props.account === r.id}
                  >
                    {r.name ?? r.account_number_masked ?? r.id.slice(0, 8)}
                  </button>
                ),
              },
              { key: 'type', label: 'Type', render: (r) => label(r.account_type) },
              {
                key: 'balance',
                label: 'Balance',
                render: (r) => money(r.balance, r.currency),
                sort: (r) => r.balance,
                numeric: true,
              },
              { key: 'synced', label: 'As of', render: (r) => timestamp(r.last_synced_at) },
            ]}
          />
        )}
      </ListView>
      {props.account && <Transactions accountId={props.account} />}
      <h2>Cash flow</h2>
      {cash.error && <ErrorNotice error={cash.error} retry={cash.reload} />}
      {cash.data &&
        (cash.data.months.length === 0 ? (
          <Empty>No deposit account data for a cash-flow summary.</Empty>
        ) : (
          <div class="grid">
            <BarChart
              title={`Net cash flow by month (${cash.data.currency})`}
              bars={cash.data.months.map((m) => ({
                label: m.month + (m.partial ? '*' : ''),
                value: Math.max(0, m.net),
                text: money(m.net, cash.data!.currency),
              }))}
            />
            <Facts
              items={[
                ['Period', `${date(cash.data.period.start_date)} – ${date(cash.data.period.end_date)}`],
                ['Average daily balance', money(cash.data.average_daily_balance, cash.data.currency)],
                ['Monthly income', money(cash.data.income.monthly_average, cash.data.currency)],
                ['Income regularity', label(cash.data.income.regularity)],
                ['NSF / overdraft events', cash.data.nsf_overdraft.count],
              ]}
            />
          </div>
        ))}
    </>
  );
}

function Transactions(props: { accountId: string }) {
  const [review, setReview] = useState(false);
  const tx = useLoad(
    (signal) =>
      api.get('/v1/accounts/{id}/transactions', {
        path: { id: props.accountId },
        query: { limit: 100, needs_review: review ? 'true' : undefined },
        signal,
      }),
    [props.accountId, review],
  );
  return (
    <section aria-labelledby="tx-title">
      <h3 id="tx-title">Transactions</h3>
      <label class="check">
        <input type="checkbox" checked={review} onChange={(e) => setReview(e.currentTarget.checked)} /> Only
        those flagged for review
      </label>
      <ListView loaded={tx} what="tx" empty="No transactions.">
        {(rows) => (
          <Table
            caption="Transactions"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'date',
                label: 'Date',
                render: (r) => date(r.transaction_date),
                sort: (r) => r.transaction_date,
              },
              {
                key: 'desc',
                label: 'Description',
                render: (r) => r.description ?? '—',
                sort: (r) => r.description,
              },
              {
                key: 'amount',
                label: 'Amount',
                render: (r) => money(r.amount, r.currency),
                sort: (r) => r.amount,
                numeric: true,
              },
              { key: 'status', label: 'Status', render: (r) => label(r.status) },
              {
                key: 'review',
                label: 'Review',
                render: (r) => (r.needs_review ? <Badge value={r.review_reason ?? 'needs_review'} /> : ''),
              },
            ]}
          />
        )}
      </ListView>
    </section>
  );
}

/** Statement upload (OFX/QFX) by drag and drop or the file picker; the API imports all or nothing. */
function StatementUpload(props: { customerId: string; onImported: () => void }) {
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    const form = new FormData();
    form.set('customer_id', props.customerId);
    form.set('file', file);
    try {
      const r = await send<{ message?: string; accounts_imported?: number; transactions_imported?: number }>(
        'POST',
        '/v1/imports',
        { body: form },
      );
      setDone(`Imported ${file.name}${r.message ? `: ${r.message}` : ''}`);
      props.onImported();
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    // The drop target is a convenience for the mouse; the file input inside it is the keyboard's way in.
    // biome-ignore lint/a11y/noStaticElementInteractions: see above
    <div
      class={over ? 'dropzone over' : 'dropzone'}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void upload(e.dataTransfer?.files[0]);
      }}
    >
      <label for="statement-file">Drop a statement file (OFX, QFX) here, or choose one</label>
      <input
        id="statement-file"
        type="file"
        accept=".ofx,.qfx"
        disabled={busy}
        onChange={(e) => void upload(e.currentTarget.files?.[0])}
      />
      {busy && <output>Importing…</output>}
      {done && <output class="ok">{done}</output>}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
