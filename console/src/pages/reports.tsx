import { useEffect, useState } from 'preact/hooks';
import { type ApiError, api } from '../api/client.js';
import { download, fetchFile } from '../api/download.js';
import { bodyChoices } from '../api/published.js';
import { session } from '../api/session.js';
import type { JsonSchema, ReportRun } from '../api/types.js';
import { navigate } from '../router.js';
import { useAction } from '../ui/action.js';
import { label, money, timestamp } from '../ui/format.js';
import { ListView, PagedView, usePaged } from '../ui/list.js';
import { useInterval, useLoad } from '../ui/load.js';
import { Badge, described, ErrorNotice, Facts, Field, Link, Loading, Page, Pending } from '../ui/parts.js';
import { initialValue, pruned, SchemaForm } from '../ui/schema-form.js';
import { Table } from '../ui/table.js';

const FINAL = ['succeeded', 'failed'];

/** The report generators, and the tenant's runs of them, newest first. */
export function ReportsPage() {
  const generators = useLoad((signal) => api.get('/v1/reports', { signal }), []);
  const runs = usePaged(
    (before, signal) => api.get('/v1/report-runs', { query: { limit: 25, before }, signal }),
    [],
  );
  const names = new Map(generators.data?.data.map((g) => [g.key, g.display_name]));
  return (
    <Page title="Reports">
      <h2>Generators</h2>
      <ListView loaded={generators} what="report generators" empty="No report generators.">
        {(rows) => (
          <ul class="feed">
            {rows.map((g) => (
              <li key={g.key}>
                <Link href={`/reports/${g.key}`}>{g.display_name}</Link>: {g.description}
              </li>
            ))}
          </ul>
        )}
      </ListView>
      <h2>Runs</h2>
      <PagedView paged={runs} what="report runs" empty="No report has been run yet.">
        {(rows) => (
          <Table
            caption="Report runs"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'report',
                label: 'Report',
                render: (r) => (
                  <Link href={`/report-runs/${r.id}`}>{names.get(r.generator) ?? label(r.generator)}</Link>
                ),
                sort: (r) => r.generator,
              },
              {
                key: 'status',
                label: 'Status',
                render: (r) => <Badge value={r.status} />,
                sort: (r) => r.status,
              },
              { key: 'format', label: 'Format', render: (r) => r.format.toUpperCase() },
              { key: 'rows', label: 'Rows', render: (r) => r.rows_written, numeric: true },
              {
                key: 'at',
                label: 'Started',
                render: (r) => timestamp(r.created_at),
                sort: (r) => r.created_at,
              },
            ]}
          />
        )}
      </PagedView>
    </Page>
  );
}

/** One generator: its parameters as a form generated from its schema, the output format, and a run. */
export function ReportPage(props: { generatorKey: string }) {
  const generators = useLoad((signal) => api.get('/v1/reports', { signal }), []);
  const formats = useLoad(() => bodyChoices('/v1/reports/{key}/runs', 'post', 'format'), []);
  const g = generators.data?.data.find((x) => x.key === props.generatorKey);
  const schema = g?.params_schema as JsonSchema | undefined;
  const [params, setParams] = useState<unknown>({});
  const [format, setFormat] = useState('csv');
  const { busy, error, run } = useAction();
  useEffect(() => {
    if (schema) setParams(initialValue(schema) ?? {});
  }, [g?.key]);
  if (!g)
    return (
      <Page title="Report">
        {generators.error ? (
          <ErrorNotice error={generators.error} retry={generators.reload} />
        ) : generators.data ? (
          <p>
            No report <code>{props.generatorKey}</code>. <Link href="/reports">See the reports</Link>.
          </p>
        ) : (
          <Loading what="the report" />
        )}
      </Page>
    );
  const start = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const started = await api.post('/v1/reports/{key}/runs', {
        path: { key: g.key },
        body: { format: format as 'csv', params: (pruned(params) ?? {}) as Record<string, unknown> },
      });
      navigate(`/report-runs/${started.id}`);
    });
  };
  return (
    <Page title={g.display_name}>
      <p>{g.description}</p>
      {session.can('operator') ? (
        <form class="card form" onSubmit={start} noValidate aria-labelledby="run-title">
          <h2 id="run-title">Run this report</h2>
          {schema && Object.keys(schema.properties ?? {}).length > 0 ? (
            <fieldset>
              <legend>Parameters</legend>
              <SchemaForm
                schema={schema}
                value={params}
                onChange={setParams}
                root="params"
                errors={error?.fields ?? []}
              />
            </fieldset>
          ) : (
            <p class="muted">This report takes no parameters.</p>
          )}
          <Field id="run-format" label="Format" error={error?.field('format')}>
            <select
              {...described('run-format', error?.field('format'))}
              value={format}
              onChange={(e) => setFormat(e.currentTarget.value)}
            >
              {(formats.data ?? ['csv']).map((f) => (
                <option key={f} value={f}>
                  {f.toUpperCase()}
                </option>
              ))}
            </select>
          </Field>
          {error && <ErrorNotice error={error} retry={() => void start(new Event('submit'))} />}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </form>
      ) : (
        <p class="muted">Running a report needs the operator role.</p>
      )}
    </Page>
  );
}

/** A run: its progress, watched until it ends; then its summary, its chart and its output to download. */
export function ReportRunPage(props: { id: string }) {
  const loaded = useLoad(
    (signal) => api.get('/v1/report-runs/{id}', { path: { id: props.id }, signal }),
    [props.id],
  );
  const run = loaded.data;
  useInterval(loaded.reload, 500, !!run && !FINAL.includes(run.status));
  if (!run) return <Pending title="Report run" what="the run" error={loaded.error} retry={loaded.reload} />;
  const running = !FINAL.includes(run.status);
  return (
    <Page title={`Report run: ${label(run.generator)}`}>
      {loaded.error && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <div class="card">
        <Facts
          items={[
            ['Status', <Badge key="s" value={run.status} />],
            [
              'Progress',
              <output key="p" aria-live="polite">
                {run.rows_written} rows written{running ? '…' : ''}
              </output>,
            ],
            ['Format', run.format.toUpperCase()],
            ['Size', run.bytes === null ? '—' : `${run.bytes} bytes`],
            ['Started', timestamp(run.started_at)],
            ['Finished', timestamp(run.finished_at)],
            ['Parameters', <code key="q">{JSON.stringify(run.params)}</code>],
          ]}
        />
        {running && <progress aria-label="Report progress" />}
        {run.error && <p class="error">{run.error}</p>}
        {run.download_url && <DownloadButton run={run} />}
      </div>
      {run.summary && (
        <>
          <h2>Summary</h2>
          <Facts
            items={run.summary.figures.map((f) => [
              f.label,
              f.type === 'money' && typeof f.value === 'number'
                ? money(f.value, f.currency ?? 'USD')
                : String(f.value),
            ])}
          />
        </>
      )}
      {run.chart && run.status === 'succeeded' && <Chart run={run} />}
    </Page>
  );
}

function DownloadButton(props: { run: ReportRun }) {
  const [error, setError] = useState<ApiError>();
  const get = async () => {
    setError(undefined);
    try {
      await download(props.run.download_url!, `${props.run.generator}.${props.run.format}`);
    } catch (x) {
      setError(x as ApiError);
    }
  };
  return (
    <>
      <button type="button" class="primary" onClick={get}>
        Download {props.run.format.toUpperCase()}
      </button>
      {error && <ErrorNotice error={error} retry={get} />}
    </>
  );
}

/** The chart the API drew (SVG), shown as an image: fetched with the key, embedded as a data URL. */
function Chart(props: { run: ReportRun }) {
  const svg = useLoad(async () => {
    const { blob } = await fetchFile(`/v1/report-runs/${props.run.id}/chart.svg`);
    return `data:image/svg+xml,${encodeURIComponent(await blob.text())}`;
  }, [props.run.id]);
  return (
    <>
      <h2>Chart</h2>
      {svg.error && <ErrorNotice error={svg.error} retry={svg.reload} />}
      {svg.data && <img class="chart-img" src={svg.data} alt={props.run.chart!.title} />}
    </>
  );
}
