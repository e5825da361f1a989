import { useState } from 'preact/hooks';
import { type ApiError, api } from '../api/client.js';
import { session } from '../api/session.js';
import type { CobRun } from '../api/types.js';
import { date, timestamp } from '../ui/format.js';
import { ListView } from '../ui/list.js';
import { useInterval, useLoad } from '../ui/load.js';
import { Badge, described, ErrorNotice, Field, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';

const running = (r: CobRun) => r.status !== 'completed' && r.status !== 'failed';

/** Close of business: start a run through a date, and watch every run's progress (polled each second while one runs). */
export function CobPage() {
  const runs = useLoad((signal) => api.get('/v1/close-of-business', { query: { limit: 30 }, signal }), []);
  const active = runs.data?.data.some(running) ?? false;
  useInterval(runs.reload, 1000, active);
  return (
    <Page title="Close of business">
      {runs.data && (
        <p>
          Business date: <strong>{date(runs.data.business_date)}</strong>
        </p>
      )}
      {session.can('operator') && runs.data && (
        <StartRun businessDate={runs.data.business_date} onStarted={runs.reload} />
      )}
      <h2>Runs</h2>
      <div aria-live="polite">{active && <output class="notice">Close of business is running…</output>}</div>
      <ListView loaded={runs} what="runs" empty="No close of business has run yet.">
        {(rows) => (
          <Table
            caption="Close-of-business runs"
            rows={rows}
            rowKey={(r) => r.business_date}
            columns={[
              {
                key: 'date',
                label: 'Business date',
                render: (r) => date(r.business_date),
                sort: (r) => r.business_date,
              },
              {
                key: 'status',
                label: 'Status',
                render: (r) => <Badge value={r.status} />,
                sort: (r) => r.status,
              },
              {
                key: 'progress',
                label: 'Progress',
                render: (r) => (
                  <>
                    <progress
                      max={Math.max(1, r.loans.total)}
                      value={r.status === 'completed' ? Math.max(1, r.loans.total) : r.loans.done}
                      aria-label={`Loans closed for ${r.business_date}`}
                    />{' '}
                    {r.loans.done}/{r.loans.total} loans · {r.batches.done}/{r.batches.total} batches
                  </>
                ),
              },
              {
                key: 'started',
                label: 'Started',
                render: (r) => timestamp(r.started_at),
                sort: (r) => r.started_at,
              },
              { key: 'completed', label: 'Completed', render: (r) => timestamp(r.completed_at) },
              { key: 'error', label: 'Error', render: (r) => r.error ?? '' },
            ]}
          />
        )}
      </ListView>
    </Page>
  );
}

function StartRun(props: { businessDate: string; onStarted: () => void }) {
  const [through, setThrough] = useState(props.businessDate);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/v1/close-of-business', { body: { date: through } });
      props.onStarted();
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form inline" onSubmit={submit} noValidate aria-label="Start close of business">
      <Field id="cob-date" label="Close business days through" error={error?.field('date')}>
        <input
          {...described('cob-date', error?.field('date'))}
          type="date"
          value={through}
          onInput={(e) => setThrough(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        Start close of business
      </button>
      {error && !error.field('date') && (
        <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />
      )}
    </form>
  );
}
