import { useState } from 'preact/hooks';
import { type ApiError, api, type Query } from '../api/client.js';
import { session } from '../api/session.js';
import type { MessageListItem } from '../api/types.js';
import { navigate, useLocation } from '../router.js';
import { ChoiceFilter, TextFilters } from '../ui/filters.js';
import { label, timestamp } from '../ui/format.js';
import { useIdempotencyKey } from '../ui/idempotency.js';
import { ListView, PagedView, usePaged } from '../ui/list.js';
import { useInterval, useLoad } from '../ui/load.js';
import {
  Badge,
  described,
  Empty,
  ErrorNotice,
  Facts,
  Field,
  Link,
  Loading,
  Page,
  Pending,
} from '../ui/parts.js';
import { type Column, Table } from '../ui/table.js';

type MessageQuery = Query<'/v1/messages', 'get'>;
type Channel = NonNullable<MessageQuery['channel']>;
/** States a message leaves no more: the page stops watching. */
const FINAL = ['delivered', 'failed', 'bounced', 'undeliverable'];

const recipient = (m: MessageListItem) => {
  const r = m.recipient as Record<string, unknown>;
  return String(r.email ?? r.phone ?? r.name ?? '—');
};

const messageColumns: Column<MessageListItem>[] = [
  {
    key: 'template',
    label: 'Message',
    render: (r) => <Link href={`/messages/${r.id}`}>{label(r.template)}</Link>,
    sort: (r) => r.template,
  },
  { key: 'channel', label: 'Channel', render: (r) => label(r.channel), sort: (r) => r.channel },
  { key: 'to', label: 'To', render: recipient },
  {
    key: 'status',
    label: 'Status',
    render: (r) => <Badge value={r.status} />,
    sort: (r) => r.status,
  },
  { key: 'attempts', label: 'Attempts', render: (r) => r.attempts, numeric: true },
  {
    key: 'at',
    label: 'Created',
    render: (r) => timestamp(r.created_at),
    sort: (r) => r.created_at,
  },
];

/** Messages with the API's filters (channel, status, customer, loan), and a form to send one from a template. */
export function MessagesPage() {
  const { query } = useLocation();
  const q = (k: string) => query.get(k) ?? '';
  const [channel, status, customer, loan] = [q('channel'), q('status'), q('customer_id'), q('loan_id')];
  const [sending, setSending] = useState(false);
  const paged = usePaged(
    (before, signal) =>
      api.get('/v1/messages', {
        query: {
          limit: 25,
          before,
          channel: (channel || undefined) as MessageQuery['channel'],
          status: (status || undefined) as MessageQuery['status'],
          customer_id: customer || undefined,
          loan_id: loan || undefined,
        },
        signal,
      }),
    [channel, status, customer, loan],
  );
  return (
    <Page
      title="Messages"
      actions={
        session.can('operator') && (
          <button type="button" class="primary" onClick={() => setSending(true)}>
            Send a message
          </button>
        )
      }
    >
      {sending && (
        <SendMessageForm
          customerId={customer}
          loanId={loan}
          onCancel={() => setSending(false)}
          onSent={(id) => navigate(`/messages/${id}`)}
        />
      )}
      <TextFilters
        label="Filter messages"
        fields={[
          { name: 'customer_id', title: 'Customer id', value: customer },
          { name: 'loan_id', title: 'Loan id', value: loan },
        ]}
      >
        <ChoiceFilter path="/v1/messages" name="channel" title="Channel" value={channel} />
        <ChoiceFilter path="/v1/messages" name="status" title="Status" value={status} />
      </TextFilters>
      <PagedView paged={paged} what="messages" empty="No messages match these filters.">
        {(rows) => <Table caption="Messages" rows={rows} rowKey={(r) => r.id} columns={messageColumns} />}
      </PagedView>
    </Page>
  );
}

/** A message, its content as rendered, and every state it went through (watched until it is final). */
export function MessagePage(props: { id: string }) {
  const loaded = useLoad(
    (signal) => api.get('/v1/messages/{id}', { path: { id: props.id }, signal }),
    [props.id],
  );
  const m = loaded.data;
  useInterval(loaded.reload, 1000, !!m && !FINAL.includes(m.status));
  if (!m) return <Pending title="Message" what="the message" error={loaded.error} retry={loaded.reload} />;
  return (
    <Page title={`${label(m.template)} (${m.channel})`}>
      {loaded.error && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <div class="grid">
        <div class="card">
          <Facts
            items={[
              ['Status', <Badge key="s" value={m.status} />],
              ['Reason', m.status_reason ?? '—'],
              ['To', recipient(m)],
              ['Attempts', m.attempts],
              ['Next attempt', timestamp(m.next_attempt_at)],
              ['Provider', m.provider_key ? `${m.provider_key} ${m.provider_message_id ?? ''}` : '—'],
              [
                'Customer',
                m.customer_id ? (
                  <Link key="c" href={`/customers/${m.customer_id}`}>
                    customer
                  </Link>
                ) : (
                  '—'
                ),
              ],
              [
                'Loan',
                m.loan_id ? (
                  <Link key="l" href={`/loans/${m.loan_id}`}>
                    loan
                  </Link>
                ) : (
                  '—'
                ),
              ],
              ['Produced by', m.event_key ?? 'the API'],
            ]}
          />
        </div>
        <div class="card">
          <h2>Content</h2>
          {Object.entries(m.content).map(([k, v]) => (
            <div key={k}>
              <h3>{label(k)}</h3>
              <pre class="text-block">{v}</pre>
            </div>
          ))}
        </div>
      </div>
      <h2>Events</h2>
      {m.events.length === 0 ? (
        <Empty>No events yet.</Empty>
      ) : (
        <ol class="timeline" aria-label="Message events">
          {m.events.map((e, i) => (
            <li key={`${i}-${e.status}`}>
              <span class="when">{timestamp(e.occurred_at)}</span> <Badge value={e.status} />{' '}
              <small class="muted">by {label(e.source)}</small> {e.reason && <span>: {e.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}

/**
 * Send from a template: to a customer or a loan's borrower (their address on file), or to an address typed here.
 * The variables start as the template's sample; the API renders, and names what is missing or malformed.
 */
function SendMessageForm(props: {
  customerId: string;
  loanId: string;
  onCancel: () => void;
  onSent: (id: string) => void;
}) {
  const templates = useLoad((signal) => api.get('/v1/templates', { signal }), []);
  const [channel, setChannel] = useState<Channel>('email');
  const [template, setTemplate] = useState('');
  const [customerId, setCustomerId] = useState(props.customerId);
  const [loanId, setLoanId] = useState(props.loanId);
  const [address, setAddress] = useState('');
  const [variables, setVariables] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const idem = useIdempotencyKey();
  const offered = templates.data?.data.filter((t) => t.channels.includes(channel)) ?? [];
  const chosen = offered.find((t) => t.key === template) ?? offered[0];
  const varsText = variables ?? JSON.stringify(chosen?.sample_variables ?? {}, null, 2);
  const [varsError, setVarsError] = useState<string>();
  const field = (p: string) => error?.field(p);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setVarsError(undefined);
    let vars: Record<string, unknown>;
    try {
      vars = JSON.parse(varsText) as Record<string, unknown>;
    } catch {
      setVarsError('a JSON object of the template’s variables');
      return;
    }
    setBusy(true);
    try {
      const to = address.trim()
        ? channel === 'sms'
          ? { phone: address.trim() }
          : { email: address.trim() }
        : undefined;
      const m = await api.post('/v1/messages', {
        body: {
          channel,
          template: chosen?.key ?? '',
          variables: vars,
          customer_id: customerId.trim() || undefined,
          loan_id: loanId.trim() || undefined,
          to,
        },
        headers: { 'idempotency-key': idem.get() },
      });
      idem.settled();
      props.onSent(m.id);
    } catch (x) {
      idem.settled(x);
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  if (templates.error) return <ErrorNotice error={templates.error} retry={templates.reload} />;
  if (!templates.data) return <Loading what="templates" />;
  const toError = field('to') ?? field('to.email') ?? field('to.phone');
  const hint =
    chosen &&
    Object.entries(chosen.variables)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="send-title">
      <h2 id="send-title">Send a message</h2>
      <div class="row">
        <Field id="msg-channel" label="Channel" error={field('channel')}>
          <select
            {...described('msg-channel', field('channel'))}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value as Channel)}
          >
            {(['email', 'sms', 'letter'] as const).map((c) => (
              <option key={c} value={c}>
                {label(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="msg-template" label="Template" error={field('template')}>
          <select
            {...described('msg-template', field('template'))}
            value={chosen?.key ?? ''}
            onChange={(e) => {
              setTemplate(e.currentTarget.value);
              setVariables(undefined);
            }}
          >
            {offered.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="row">
        <Field id="msg-customer" label="Customer id" error={field('customer_id')}>
          <input
            {...described('msg-customer', field('customer_id'))}
            value={customerId}
            onInput={(e) => setCustomerId(e.currentTarget.value)}
          />
        </Field>
        <Field id="msg-loan" label="Loan id" error={field('loan_id')}>
          <input
            {...described('msg-loan', field('loan_id'))}
            value={loanId}
            onInput={(e) => setLoanId(e.currentTarget.value)}
          />
        </Field>
        {channel !== 'letter' && (
          <Field
            id="msg-to"
            label={channel === 'sms' ? 'Or to a phone (E.164)' : 'Or to an e-mail address'}
            error={toError}
          >
            <input
              {...described('msg-to', toError)}
              value={address}
              onInput={(e) => setAddress(e.currentTarget.value)}
            />
          </Field>
        )}
      </div>
      <Field id="msg-vars" label="Variables (JSON)" hint={hint} error={varsError ?? field('variables')}>
        <textarea
          {...described('msg-vars', varsError ?? field('variables'), hint)}
          rows={8}
          value={varsText}
          onInput={(e) => setVariables(e.currentTarget.value)}
        />
      </Field>
      {error && !toError && !field('variables') && (
        <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy || !chosen}>
          {busy ? 'Sending…' : 'Send'}
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A customer's or a loan's messages, on its page, with a link to send one. */
export function OwnerMessages(props: { filter: { customer_id?: string; loan_id?: string } }) {
  const { filter } = props;
  const loaded = useLoad(
    (signal) => api.get('/v1/messages', { query: { ...filter, limit: 25 }, signal }),
    [filter.customer_id, filter.loan_id],
  );
  const q = new URLSearchParams(filter as Record<string, string>).toString();
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">Messages</h2>
      <ListView loaded={loaded} what="messages" empty="No messages.">
        {(rows) => <Table caption="Messages" rows={rows} rowKey={(r) => r.id} columns={messageColumns} />}
      </ListView>
      <p>
        <Link href={`/messages?${q}`}>All messages{session.can('operator') ? ', or send one' : ''}</Link>
      </p>
    </section>
  );
}
