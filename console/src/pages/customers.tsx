import { useState } from 'preact/hooks';
import { type ApiError, api } from '../api/client.js';
import { session } from '../api/session.js';
import { navigate, setQuery, useLocation } from '../router.js';
import { date, money, timestamp } from '../ui/format.js';
import { ListView, PagedView, usePaged } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, described, ErrorNotice, Facts, Field, Link, Loading, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';
import { OwnerDocuments } from './documents.js';
import { OwnerMessages } from './messages.js';

export function CustomersPage() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const paged = usePaged(
    (before, signal) => api.get('/v1/customers', { query: { limit: 25, before, q: q || undefined }, signal }),
    [q],
  );
  return (
    <Page title="Customers" actions={session.can('operator') && <NewCustomer />}>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: text.trim() || undefined });
        }}
      >
        <Field id="customer-q" label="Search by name, e-mail or reference">
          <input id="customer-q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <button type="submit">Search</button>
      </form>
      <PagedView
        paged={paged}
        what="customers"
        empty={q ? `No customer matches “${q}”.` : 'No customers yet.'}
      >
        {(rows) => (
          <Table
            caption="Customers"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (r) => <Link href={`/customers/${r.id}`}>{r.legal_name}</Link>,
                sort: (r) => r.legal_name,
              },
              { key: 'email', label: 'E-mail', render: (r) => r.email ?? '—', sort: (r) => r.email },
              { key: 'ref', label: 'Reference', render: (r) => r.external_ref ?? '—' },
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

function NewCustomer() {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ legal_name: '', email: '' });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  if (!open)
    return (
      <button type="button" class="primary" onClick={() => setOpen(true)}>
        New customer
      </button>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const c = await api.post('/v1/customers', {
        body: { legal_name: form.legal_name, ...(form.email && { email: form.email }) },
      });
      navigate(`/customers/${c.id}`);
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <Field id="c-name" label="Legal name" error={error?.field('legal_name')}>
        <input
          {...described('c-name', error?.field('legal_name'))}
          value={form.legal_name}
          onInput={(e) => setForm({ ...form, legal_name: e.currentTarget.value })}
        />
      </Field>
      <Field id="c-email" label="E-mail (optional)" error={error?.field('email')}>
        <input
          {...described('c-email', error?.field('email'))}
          type="email"
          value={form.email}
          onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
        />
      </Field>
      {error && !error.fields.length && <ErrorNotice error={error} />}
      <button type="submit" class="primary" disabled={busy}>
        Create
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

export function CustomerPage(props: { id: string }) {
  const customer = useLoad(
    (signal) => api.get('/v1/customers/{id}', { path: { id: props.id }, signal }),
    [props.id],
  );
  const loans = useLoad(
    (signal) =>
      api.get('/v1/loans', { query: { customer_id: props.id, limit: 50, view: 'summary' }, signal }),
    [props.id],
  );
  const accounts = useLoad(
    (signal) => api.get('/v1/accounts', { query: { customer_id: props.id }, signal }),
    [props.id],
  );
  const c = customer.data;
  if (customer.error)
    return (
      <Page title="Customer">
        <ErrorNotice error={customer.error} retry={customer.reload} />
      </Page>
    );
  if (!c)
    return (
      <Page title="Customer">
        <Loading what="the customer" />
      </Page>
    );
  return (
    <Page title={c.legal_name}>
      <Facts
        items={[
          ['E-mail', c.email ?? '—'],
          ['Phone', c.phone ?? '—'],
          ['Reference', c.external_ref ?? '—'],
          ['Customer since', date(c.created_at)],
        ]}
      />
      <h2>Loans</h2>
      <ListView loaded={loans} what="loans" empty="No loans.">
        {(rows) => (
          <ul class="feed">
            {rows.map((l) => (
              <li key={l.id}>
                <Link href={`/loans/${l.id}`}>{money(l.amount, l.currency)}</Link> <Badge value={l.status} />{' '}
                since {date(l.start_date)}
              </li>
            ))}
          </ul>
        )}
      </ListView>
      <h2>Linked accounts</h2>
      <ListView loaded={accounts} what="accounts" empty="No linked accounts.">
        {(rows) => (
          <ul class="feed">
            {rows.map((a) => (
              <li key={a.id}>
                <Link href={`/financial-data?customer_id=${props.id}&account=${a.id}`}>
                  {a.name ?? a.account_number_masked ?? a.id}
                </Link>{' '}
                {a.account_type}
              </li>
            ))}
          </ul>
        )}
      </ListView>
      <OwnerDocuments owner={{ type: 'customer', id: props.id }} />
      <OwnerMessages filter={{ customer_id: props.id }} />
    </Page>
  );
}
