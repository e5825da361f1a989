import { useState } from 'preact/hooks';
import { type ApiError, api } from '../api/client.js';
import { session } from '../api/session.js';
import type { Program, ProgramType, Quote } from '../api/types.js';
import { navigate } from '../router.js';
import { type ScheduleLine, ScheduleTable, TilaBox } from '../ui/disclosure.js';
import { label, timestamp } from '../ui/format.js';
import { PagedView, usePaged } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, described, ErrorNotice, Facts, Field, Link, Loading, Page } from '../ui/parts.js';
import { initialValue, pruned, SchemaForm } from '../ui/schema-form.js';
import { Table } from '../ui/table.js';
import { EditProgram, loadTypes, NewProgram } from './program-form.js';

export function ProgramsPage() {
  const [creating, setCreating] = useState(false);
  const paged = usePaged(
    (before, signal) => api.get('/v1/programs', { query: { limit: 25, before }, signal }),
    [],
  );
  return (
    <Page
      title="Programs"
      actions={
        session.can('admin') &&
        !creating && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            New program
          </button>
        )
      }
    >
      {creating && <NewProgram onCancel={() => setCreating(false)} />}
      <PagedView paged={paged} what="programs" empty="No programs yet.">
        {(rows) => (
          <Table
            caption="Programs"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (r) => <Link href={`/programs/${r.id}`}>{r.name}</Link>,
                sort: (r) => r.name,
              },
              {
                key: 'type',
                label: 'Type',
                render: (r) => label(r.program_type),
                sort: (r) => r.program_type,
              },
              { key: 'currency', label: 'Currency', render: (r) => r.currency },
              { key: 'status', label: 'Status', render: (r) => <Badge value={r.status} /> },
              {
                key: 'created',
                label: 'Created',
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

export function ProgramPage(props: { id: string }) {
  const program = useLoad(
    (signal) => api.get('/v1/programs/{id}', { path: { id: props.id }, signal }),
    [props.id],
  );
  const types = useLoad(loadTypes, []);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<'saved' | 'stale'>();
  const p = program.data;
  if (program.error && !p)
    return (
      <Page title="Program">
        <ErrorNotice error={program.error} retry={program.reload} />
      </Page>
    );
  if (!p || !types.data)
    return (
      <Page title="Program">
        <Loading what="the program" />
      </Page>
    );
  const type = types.data.data.find((t) => t.program_type === p.program_type);
  return (
    <Page
      title={p.name}
      actions={
        <>
          <Link href={`/loans?program_id=${p.id}`}>Loans of this program</Link>
          {session.can('admin') && type && !editing && (
            <button
              type="button"
              onClick={() => {
                setNotice(undefined);
                setEditing(true);
              }}
            >
              Edit program
            </button>
          )}
        </>
      }
    >
      {notice === 'stale' && (
        <output class="notice">
          Someone else changed this program; it has been reloaded and your changes were not saved. Review it
          and edit again.
        </output>
      )}
      {notice === 'saved' && <output class="notice">Program saved (version {p.version}).</output>}
      {editing && type && (
        <EditProgram
          key={p.version}
          program={p}
          type={type}
          onSaved={() => {
            setEditing(false);
            setNotice('saved');
            program.reload();
          }}
          onStale={() => {
            setEditing(false);
            setNotice('stale');
            program.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      <Facts
        items={[
          ['Type', label(p.program_type)],
          ['Currency', p.currency],
          ['Status', <Badge key="s" value={p.status} />],
          ['Description', p.description ?? '—'],
          ['Version', String(p.version)],
          ['Created', timestamp(p.created_at)],
          ['Updated', timestamp(p.updated_at)],
        ]}
      />
      <details>
        <summary>Terms (for loans originated from now on)</summary>
        <pre class="json">{JSON.stringify(p.terms, null, 2)}</pre>
      </details>
      {type?.request_schema && <QuoteAndApply program={p} schema={type.request_schema} />}
    </Page>
  );
}

/** A quote preview (schedule and TILA box, nothing stored), then an application with the same request. */
function QuoteAndApply(props: { program: Program; schema: ProgramType['request_schema'] & object }) {
  const [request, setRequest] = useState<unknown>(() => initialValue(props.schema));
  const [customerId, setCustomerId] = useState('');
  const [quote, setQuote] = useState<Quote>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const body = () => pruned(request) as Record<string, unknown>;
  const run = async (what: 'quote' | 'apply') => {
    setBusy(true);
    setError(undefined);
    try {
      if (what === 'quote') {
        setQuote(
          await api.post('/v1/programs/{id}/quotes', { path: { id: props.program.id }, body: body() }),
        );
      } else {
        const loan = await api.post('/v1/loans', {
          body: { program_id: props.program.id, ...(customerId && { customer_id: customerId }), ...body() },
        });
        navigate(`/loans/${loan.id}`);
      }
    } catch (x) {
      setError(x as ApiError);
      if (what === 'quote') setQuote(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="quote-title">
      <h2 id="quote-title">Quote</h2>
      <form
        class="card form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run('quote');
        }}
      >
        <SchemaForm
          schema={props.schema}
          value={request}
          onChange={setRequest}
          root="request"
          errors={error?.fields ?? []}
        />
        {session.can('operator') && (
          <Field
            id="q-customer"
            label="Customer id (for an application; optional)"
            error={error?.field('customer_id')}
          >
            <input
              {...described('q-customer', error?.field('customer_id'))}
              value={customerId}
              onInput={(e) => setCustomerId(e.currentTarget.value.trim())}
            />
          </Field>
        )}
        {error && <ErrorNotice error={error} retry={() => void run('quote')} />}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            Preview quote
          </button>
          {session.can('operator') && (
            <button type="button" disabled={busy} onClick={() => void run('apply')}>
              Apply for a loan
            </button>
          )}
        </div>
      </form>
      {quote && (
        <div aria-live="polite">
          {quote.disclosure && <TilaBox disclosure={quote.disclosure} currency={props.program.currency} />}
          {quote.schedule && (
            // A quote's rows are the product's own shape; every product's schedule has these columns.
            <ScheduleTable rows={quote.schedule as ScheduleLine[]} currency={props.program.currency} />
          )}
        </div>
      )}
    </section>
  );
}
