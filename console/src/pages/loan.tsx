import { api } from '../api/client.js';
import { session } from '../api/session.js';
import type { LoanDetails } from '../api/types.js';
import { ScheduleTable, TilaBox } from '../ui/disclosure.js';
import { date, label, money, timestamp } from '../ui/format.js';
import { useLoad } from '../ui/load.js';
import { Badge, ConfirmButton, Empty, ErrorNotice, Facts, Link, Loading, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';
import { OwnerDocuments } from './documents.js';
import { LoanActions, useGuardedWrite } from './loan-actions.js';
import { LoanCollections } from './loan-collections.js';
import { LoanServicingStatusSection } from './loan-servicing-status.js';
import { OwnerMessages } from './messages.js';

export function LoanPage(props: { id: string }) {
  const loaded = useLoad(
    (signal) => api.get('/v1/loans/{id}', { path: { id: props.id }, signal }),
    [props.id],
  );
  const l = loaded.data;
  if (loaded.error && !l)
    return (
      <Page title="Loan">
        <ErrorNotice error={loaded.error} retry={loaded.reload} />
      </Page>
    );
  if (!l)
    return (
      <Page title="Loan">
        <Loading what="the loan" />
      </Page>
    );
  return <LoanView loan={l} reload={loaded.reload} loading={loaded.loading} />;
}

function LoanView(props: { loan: LoanDetails; reload: () => void; loading: boolean }) {
  const l = props.loan;
  const m = (n: number | null | undefined) => money(n, l.currency);
  const { stale, guarded } = useGuardedWrite(l, props.reload);
  return (
    <Page title={`Loan ${l.external_ref ?? l.id.slice(0, 8)}`}>
      {stale && <output class="notice">Someone else changed this loan; it has been reloaded.</output>}
      <div class="grid" aria-busy={props.loading}>
        <div class="card">
          <Facts
            items={[
              ['Status', <Badge key="s" value={l.status} />],
              ['Product', label(l.product)],
              [
                'Program',
                <Link key="p" href={`/programs/${l.program_id}`}>
                  program
                </Link>,
              ],
              [
                'Customer',
                l.customer_id ? (
                  <Link key="c" href={`/customers/${l.customer_id}`}>
                    customer
                  </Link>
                ) : (
                  '—'
                ),
              ],
              ['Amount', m(l.amount)],
              ['Start', date(l.start_date)],
              ['Maturity', date(l.maturity_date)],
              ['Business date', date(l.business_date)],
            ]}
          />
        </div>
        <div class="card">
          <h2>Outstanding</h2>
          <Facts items={Object.entries(l.outstanding).map(([k, v]) => [label(k), m(v)])} />
          <h2>Delinquency</h2>
          <Facts
            items={[
              ['Days past due', l.delinquency.days_past_due],
              ['Bucket', label(l.delinquency.bucket)],
              ['Oldest unpaid due', date(l.delinquency.oldest_unpaid_due)],
            ]}
          />
        </div>
      </div>
      {session.can('operator') && <LoanActions loan={l} guarded={guarded} />}
      <LoanCollections loan={l} changed={props.reload} />
      <LoanServicingStatusSection loan={l} guarded={guarded} />
      {l.disclosure && (
        <>
          <h2>Truth in Lending</h2>
          <TilaBox disclosure={l.disclosure} currency={l.currency} />
        </>
      )}
      <h2>Schedule</h2>
      {l.schedule.length ? (
        <ScheduleTable rows={l.schedule} currency={l.currency} />
      ) : (
        <Empty>No schedule.</Empty>
      )}
      <h2>Transactions</h2>
      {l.transactions.length === 0 ? (
        <Empty>No transactions yet.</Empty>
      ) : (
        <Table
          caption="Transactions"
          rows={l.transactions}
          rowKey={(r) => r.id}
          columns={[
            { key: 'seq', label: '#', render: (r) => r.sequence, sort: (r) => r.sequence, numeric: true },
            { key: 'type', label: 'Type', render: (r) => label(r.type), sort: (r) => r.type },
            {
              key: 'date',
              label: 'Effective',
              render: (r) => date(r.effective_date),
              sort: (r) => r.effective_date,
            },
            {
              key: 'amount',
              label: 'Amount',
              render: (r) => (r.amount === undefined ? '—' : m(r.amount)),
              numeric: true,
            },
            { key: 'recorded', label: 'Recorded', render: (r) => timestamp(r.recorded_at) },
            {
              key: 'act',
              label: 'Actions',
              render: (r) =>
                r.type === 'payment' && r.payment_id && !r.reversed && session.can('operator') ? (
                  <ConfirmButton
                    label="Reverse"
                    danger
                    question={`Reverse the payment of ${m(r.amount)} effective ${date(r.effective_date)}? Every later transaction is reprocessed.`}
                    onConfirm={() =>
                      guarded((headers) =>
                        api.post('/v1/loans/{id}/payment-reversals', {
                          path: { id: l.id },
                          body: { payment_id: r.payment_id! },
                          headers,
                        }),
                      )
                    }
                  />
                ) : null,
            },
          ]}
        />
      )}
      <h2>Journal</h2>
      {l.journal.length === 0 ? (
        <Empty>No journal entries yet.</Empty>
      ) : (
        <Table
          caption="Journal"
          rows={l.journal.flatMap((e, i) =>
            e.lines.map((line, j) => ({ ...line, entry: e, key: `${i}-${j}` })),
          )}
          rowKey={(r) => r.key}
          columns={[
            {
              key: 'date',
              label: 'Date',
              render: (r) => date(r.entry.entry_date),
              sort: (r) => r.entry.entry_date,
            },
            { key: 'kind', label: 'Entry', render: (r) => label(r.entry.kind), sort: (r) => r.entry.kind },
            { key: 'account', label: 'Account', render: (r) => label(r.account), sort: (r) => r.account },
            {
              key: 'debit',
              label: 'Debit',
              render: (r) => (r.side === 'debit' ? m(r.amount) : ''),
              numeric: true,
            },
            {
              key: 'credit',
              label: 'Credit',
              render: (r) => (r.side === 'credit' ? m(r.amount) : ''),
              numeric: true,
            },
          ]}
        />
      )}
      <OwnerDocuments owner={{ type: 'loan', id: l.id }} />
      <OwnerMessages filter={{ loan_id: l.id }} />
      <h2>Statements</h2>
      {l.statements.length === 0 ? (
        <Empty>No statements (lines of credit have statements).</Empty>
      ) : (
        <pre class="json">{JSON.stringify(l.statements, null, 2)}</pre>
      )}
    </Page>
  );
}
