import { useState } from 'preact/hooks';
import { api, type Query } from '../api/client.js';
import { session } from '../api/session.js';
import type { Payment, PaymentListItem } from '../api/types.js';
import { useLocation } from '../router.js';
import { optionalMinor } from '../ui/amount.js';
import { ChoiceFilter, TextFilters } from '../ui/filters.js';
import { date, label, money, timestamp } from '../ui/format.js';
import { useIdempotencyKey } from '../ui/idempotency.js';
import { PagedView, usePaged } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import {
  Badge,
  ConfirmButton,
  described,
  Empty,
  ErrorNotice,
  Facts,
  Field,
  Link,
  Page,
  Pending,
} from '../ui/parts.js';
import { type Column, Table } from '../ui/table.js';

/** The columns a payment has in any list of them (the payments page, a loan's collections). */
export const paymentColumns: Column<PaymentListItem>[] = [
  {
    key: 'ref',
    label: 'Payment',
    render: (r) => <Link href={`/payments/${r.id}`}>{r.reference}</Link>,
  },
  { key: 'state', label: 'State', render: (r) => <Badge value={r.state} />, sort: (r) => r.state },
  {
    key: 'amount',
    label: 'Amount',
    render: (r) => money(r.amount, r.currency),
    sort: (r) => r.amount,
    numeric: true,
  },
  {
    key: 'refunded',
    label: 'Refunded',
    render: (r) => money(r.amount_refunded, r.currency),
    sort: (r) => r.amount_refunded,
    numeric: true,
  },
  { key: 'type', label: 'Method', render: (r) => label(r.type), sort: (r) => r.type },
  { key: 'source', label: 'Source', render: (r) => label(r.source), sort: (r) => r.source },
  { key: 'at', label: 'Created', render: (r) => timestamp(r.created_at), sort: (r) => r.created_at },
];

/** Payments with the API's filters (state, customer, loan) and its cursor paging; the URL holds the filters. */
export function PaymentsPage() {
  const { query } = useLocation();
  const state = query.get('state') ?? '';
  const customer = query.get('customer_id') ?? '';
  const loan = query.get('loan_id') ?? '';
  const paged = usePaged(
    (before, signal) =>
      api.get('/v1/payments', {
        query: {
          limit: 25,
          before,
          state: (state || undefined) as Query<'/v1/payments', 'get'>['state'],
          customer_id: customer || undefined,
          loan_id: loan || undefined,
        },
        signal,
      }),
    [state, customer, loan],
  );
  return (
    <Page title="Payments">
      <TextFilters
        label="Filter payments"
        fields={[
          { name: 'customer_id', title: 'Customer id', value: customer },
          { name: 'loan_id', title: 'Loan id', value: loan },
        ]}
      >
        <ChoiceFilter path="/v1/payments" name="state" title="State" value={state} />
      </TextFilters>
      <PagedView paged={paged} what="payments" empty="No payments match these filters.">
        {(rows) => (
          <Table
            caption="Payments"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              ...paymentColumns,
              {
                key: 'customer',
                label: 'Customer',
                render: (r) => <Link href={`/customers/${r.customer_id}`}>customer</Link>,
              },
              {
                key: 'loan',
                label: 'Loan',
                render: (r) => (r.loan ? <Link href={`/loans/${r.loan.id}`}>loan</Link> : '—'),
              },
            ]}
          />
        )}
      </PagedView>
    </Page>
  );
}

export function PaymentPage(props: { id: string }) {
  const loaded = useLoad(
    (signal) => api.get('/v1/payments/{id}', { path: { id: props.id }, signal }),
    [props.id],
  );
  const p = loaded.data;
  if (!p) return <Pending title="Payment" what="the payment" error={loaded.error} retry={loaded.reload} />;
  const m = (n: number) => money(n, p.currency);
  return (
    <Page title={`Payment ${p.reference}`}>
      {loaded.error && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <div class="grid" aria-busy={loaded.loading}>
        <div class="card">
          <Facts
            items={[
              ['State', <Badge key="s" value={p.state} />],
              ['Amount', m(p.amount)],
              ['Authorized', m(p.amount_authorized)],
              ['Captured', m(p.amount_captured)],
              ['Refunded', m(p.amount_refunded)],
              ['Method', label(p.type)],
              ['Processor', `${p.provider_key} ${p.processor_id ?? ''}`],
              ['Source', label(p.source)],
            ]}
          />
        </div>
        <div class="card">
          <Facts
            items={[
              [
                'Customer',
                <Link key="c" href={`/customers/${p.customer_id}`}>
                  {p.customer_id.slice(0, 8)}
                </Link>,
              ],
              [
                'Loan',
                p.loan ? (
                  <Link key="l" href={`/loans/${p.loan.id}`}>
                    {p.loan.id.slice(0, 8)} ({m(p.loan.applied)} applied)
                  </Link>
                ) : (
                  '—'
                ),
              ],
              ['Autopay due date', date(p.autopay_due_date)],
              ['Description', p.description ?? '—'],
              ['Decline', p.decline ? `${p.decline.code}: ${p.decline.message ?? ''}` : '—'],
              ['Return code', p.return_code ?? '—'],
              ['Dispute', p.dispute ?? '—'],
              ['Error', p.error ?? p.loan?.error ?? '—'],
            ]}
          />
        </div>
      </div>
      {session.can('operator') && <PaymentActions payment={p} reload={loaded.reload} />}
      <h2>State transitions</h2>
      {p.transitions.length === 0 ? (
        <Empty>No transitions recorded.</Empty>
      ) : (
        <ol class="timeline" aria-label="State transitions">
          {p.transitions.map((t) => (
            <li key={t.seq}>
              <span class="when">{timestamp(t.at)}</span>{' '}
              {t.from ? <Badge value={t.from} /> : <span class="muted">new</span>} → <Badge value={t.to} />{' '}
              <small class="muted">by {label(t.source)}</small>
              {Object.keys(t.detail).length > 0 && <code class="changes">{JSON.stringify(t.detail)}</code>}
            </li>
          ))}
        </ol>
      )}
      <h2>Refunds</h2>
      {p.refunds.length === 0 ? (
        <Empty>No refunds.</Empty>
      ) : (
        <Table
          caption="Refunds"
          rows={p.refunds}
          rowKey={(r) => r.id}
          columns={[
            { key: 'ref', label: 'Refund', render: (r) => r.reference },
            { key: 'status', label: 'Status', render: (r) => <Badge value={r.status} /> },
            { key: 'amount', label: 'Amount', render: (r) => m(r.amount), numeric: true },
            { key: 'error', label: 'Error', render: (r) => r.error ?? '' },
            { key: 'at', label: 'Requested', render: (r) => timestamp(r.created_at) },
          ]}
        />
      )}
    </Page>
  );
}

/**
 * Capture and void act on an authorization, refund on captured money; which the payment's state allows is the
 * API's answer (its state), and the API refuses the rest. Each write carries an Idempotency-Key made when the
 * dialog's first attempt and kept while the outcome is unknown, so a retry after a lost answer cannot refund twice.
 */
function PaymentActions(props: { payment: Payment; reload: () => void }) {
  const p = props.payment;
  const idem = useIdempotencyKey();
  const [amount, setAmount] = useState('');
  /** One write with its key; then the page shows the payment as it now is. */
  const act = async (write: (headers: { 'idempotency-key': string }) => Promise<unknown>) => {
    try {
      await write({ 'idempotency-key': idem.get() });
    } catch (e) {
      idem.settled(e);
      throw e;
    }
    idem.settled();
    setAmount('');
    props.reload();
  };
  const amountField =
    (id: string, hint: string) => (error: { field(p: string): string | undefined } | undefined) => (
      <Field id={id} label={`Amount (${p.currency})`} hint={hint} error={error?.field('amount')}>
        <input
          {...described(id, error?.field('amount'), hint)}
          inputMode="decimal"
          value={amount}
          onInput={(e) => setAmount(e.currentTarget.value)}
        />
      </Field>
    );
  const refundable = p.amount_captured - p.amount_refunded;
  return (
    <section class="actions" aria-label="Payment actions">
      {p.state === 'authorized' && (
        <>
          <ConfirmButton
            label="Capture"
            question={`Capture this authorization of ${money(p.amount_authorized, p.currency)}?`}
            onConfirm={() =>
              act((headers) => {
                const minor = optionalMinor(amount, p.currency);
                return api.post('/v1/payments/{id}/capture', {
                  path: { id: p.id },
                  body: minor === undefined ? {} : { amount: minor },
                  headers,
                });
              })
            }
          >
            {amountField('capture-amount', 'Blank captures all that was authorized.')}
          </ConfirmButton>
          <ConfirmButton
            label="Void"
            danger
            question="Release this authorization? The customer is not charged."
            onConfirm={() =>
              act((headers) => api.post('/v1/payments/{id}/void', { path: { id: p.id }, headers }))
            }
          />
        </>
      )}
      {refundable > 0 && (
        <ConfirmButton
          label="Refund"
          danger
          question={`Refund up to ${money(refundable, p.currency)} to the customer?`}
          onConfirm={() =>
            act((headers) => {
              const minor = optionalMinor(amount, p.currency);
              return api.post('/v1/payments/{id}/refunds', {
                path: { id: p.id },
                body: minor === undefined ? {} : { amount: minor },
                headers,
              });
            })
          }
        >
          {amountField('refund-amount', 'Blank refunds all that is left.')}
        </ConfirmButton>
      )}
    </section>
  );
}
