import { useEffect, useState } from 'preact/hooks';
import { type ApiError, api, type RequestBody } from '../api/client.js';
import { session } from '../api/session.js';
import type { Program, ProgramType, Quote } from '../api/types.js';
import { navigate } from '../router.js';
import { ScheduleTable, TilaBox } from '../ui/disclosure.js';
import { label, timestamp } from '../ui/format.js';
import { PagedView, usePaged } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, described, ErrorNotice, Facts, Field, Link, Loading, Page } from '../ui/parts.js';
import { initialValue, pruned, SchemaForm } from '../ui/schema-form.js';
import { Table } from '../ui/table.js';

const loadTypes = (signal: AbortSignal) => api.get('/v1/program-types', { signal });

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

/** A program's terms form, generated from its type's schema (GET /v1/program-types). */
function NewProgram(props: { onCancel: () => void }) {
  const types = useLoad(loadTypes, []);
  const [type, setType] = useState('');
  const [name, setName] = useState('');
  const [terms, setTerms] = useState<unknown>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const chosen = types.data?.data.find((t) => t.program_type === type) ?? types.data?.data[0];
  useEffect(() => {
    if (chosen) setTerms(initialValue(chosen.terms_schema));
  }, [chosen?.program_type]);
  if (types.error) return <ErrorNotice error={types.error} retry={types.reload} />;
  if (!chosen) return <Loading what="program types" />;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const p = await api.post('/v1/programs', {
        body: {
          name,
          program_type: chosen.program_type,
          terms: pruned(terms) as RequestBody<'/v1/programs', 'post'>['terms'],
        },
      });
      navigate(`/programs/${p.id}`);
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="new-program">
      <h2 id="new-program">New program</h2>
      <Field id="p-name" label="Name" error={error?.field('name')}>
        <input
          {...described('p-name', error?.field('name'))}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </Field>
      <Field id="p-type" label="Program type">
        <select id="p-type" value={chosen.program_type} onChange={(e) => setType(e.currentTarget.value)}>
          {types.data!.data.map((t) => (
            <option key={t.program_type} value={t.program_type}>
              {t.display_name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>Terms</legend>
        <SchemaForm
          schema={chosen.terms_schema}
          value={terms}
          onChange={setTerms}
          root="terms"
          errors={error?.fields ?? []}
        />
      </fieldset>
      {error && <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create program'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ProgramPage(props: { id: string }) {
  const program = useLoad(
    (signal) => api.get('/v1/programs/{id}', { path: { id: props.id }, signal }),
    [props.id],
  );
  const types = useLoad(loadTypes, []);
  const p = program.data;
  if (program.error)
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
    <Page title={p.name} actions={<Link href={`/loans?program_id=${p.id}`}>Loans of this program</Link>}>
      <Facts
        items={[
          ['Type', label(p.program_type)],
          ['Currency', p.currency],
          ['Status', <Badge key="s" value={p.status} />],
          ['Created', timestamp(p.created_at)],
        ]}
      />
      <details>
        <summary>Terms</summary>
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
          {quote.schedule && <ScheduleTable rows={quote.schedule} currency={props.program.currency} />}
        </div>
      )}
    </section>
  );
}
