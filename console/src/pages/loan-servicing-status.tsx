import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { session } from '../api/session.js';
import type { LoanDetails, LoanServicingStatus } from '../api/types.js';
import { useAction } from '../ui/action.js';
import { date, label, timestamp } from '../ui/format.js';
import { useLoad } from '../ui/load.js';
import { described, Empty, ErrorNotice, Facts, Field, Loading } from '../ui/parts.js';
import { Table } from '../ui/table.js';
import type { Guarded } from './loan-actions.js';

type ChangePath =
  | '/v1/loans/{id}/collection-placements'
  | '/v1/loans/{id}/collection-recalls'
  | '/v1/loans/{id}/repossessions'
  | '/v1/loans/{id}/surrenders'
  | '/v1/loans/{id}/reinstatements';

/** The changes the status in force allows: a placement or its recall; a recovery or its reinstatement. */
function changesFor(loan: LoanDetails, s: LoanServicingStatus): [string, ChangePath][] {
  const secured = loan.product === 'installment_loan' || loan.product === 'lease';
  return [
    ...(s.collection
      ? [['Recall from collection', '/v1/loans/{id}/collection-recalls'] as [string, ChangePath]]
      : [['Place in collection', '/v1/loans/{id}/collection-placements'] as [string, ChangePath]]),
    ...(!secured
      ? []
      : s.collateral
        ? [['Reinstate', '/v1/loans/{id}/reinstatements'] as [string, ChangePath]]
        : ([
            ['Repossession', '/v1/loans/{id}/repossessions'],
            ['Voluntary surrender', '/v1/loans/{id}/surrenders'],
          ] as [string, ChangePath][])),
  ];
}

/**
 * A loan's servicing status beside its money: its placement in collection and the collateral taken back, with
 * their history (credit reporting's Metro 2 statuses 93, 95, 96 come from it). Operators record a change; each is
 * sent with the loan's If-Match like every other write on the page.
 */
export function LoanServicingStatusSection(props: { loan: LoanDetails; guarded: Guarded }) {
  const { loan } = props;
  const loaded = useLoad(
    (signal) => api.get('/v1/loans/{id}/servicing-status', { path: { id: loan.id }, signal }),
    [loan.id, loan.version],
  );
  const s = loaded.data;
  return (
    <section aria-labelledby="servicing-status-title">
      <h2 id="servicing-status-title">Collections and collateral</h2>
      {loaded.error && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      {s && (
        <div class="grid">
          <div class="card">
            <Facts
              items={[
                [
                  'Collection',
                  s.collection
                    ? `${s.collection.agency ?? 'Internal collections'} since ${date(s.collection.since)}`
                    : 'Not placed',
                ],
                [
                  'Collateral',
                  s.collateral
                    ? `${s.collateral.kind === 'repossession' ? 'Repossessed' : 'Voluntarily surrendered'} on ${date(s.collateral.since)}`
                    : 'With the borrower',
                ],
              ]}
            />
          </div>
          {session.can('operator') && <ChangeForm loan={loan} status={s} guarded={props.guarded} />}
        </div>
      )}
      {loaded.loading && !s && <Loading what="the servicing status" />}
      {s &&
        (s.history.length === 0 ? (
          <Empty>No collection or collateral records.</Empty>
        ) : (
          <Table
            caption="Collection and collateral history"
            rows={s.history}
            rowKey={(r) => String(r.sequence)}
            columns={[
              { key: 'seq', label: '#', render: (r) => r.sequence, numeric: true },
              { key: 'action', label: 'Change', render: (r) => label(r.action) },
              { key: 'date', label: 'Effective', render: (r) => date(r.effective_date) },
              { key: 'agency', label: 'Agency', render: (r) => r.agency ?? '—' },
              { key: 'status', label: 'Loan status then', render: (r) => label(r.loan_status) },
              { key: 'by', label: 'By', render: (r) => r.actor ?? '—' },
              { key: 'recorded', label: 'Recorded', render: (r) => timestamp(r.recorded_at) },
            ]}
          />
        ))}
    </section>
  );
}

function ChangeForm(props: { loan: LoanDetails; status: LoanServicingStatus; guarded: Guarded }) {
  const { loan } = props;
  const changes = changesFor(loan, props.status);
  const [path, setPath] = useState<ChangePath>(changes[0]![1]);
  const [agency, setAgency] = useState('');
  const [effective, setEffective] = useState(loan.business_date);
  const { busy, error, run } = useAction();
  const current = changes.some(([, p]) => p === path) ? path : changes[0]![1];
  const placing = current === '/v1/loans/{id}/collection-placements';
  const submit = (e: Event) => {
    e.preventDefault();
    void run(() =>
      props.guarded((headers) =>
        api.post(current, {
          path: { id: loan.id },
          body: { effective_date: effective, ...(placing && agency.trim() && { agency: agency.trim() }) },
          headers,
        }),
      ),
    );
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="status-change-title">
      <h3 id="status-change-title">Record a change</h3>
      <Field id="status-change" label="Change">
        <select
          id="status-change"
          value={current}
          onChange={(e) => setPath(e.currentTarget.value as ChangePath)}
        >
          {changes.map(([name, p]) => (
            <option key={p} value={p}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      {placing && (
        <Field id="status-agency" label="Agency (empty: internal collections)" error={error?.field('agency')}>
          <input
            {...described('status-agency', error?.field('agency'))}
            value={agency}
            onInput={(e) => setAgency(e.currentTarget.value)}
          />
        </Field>
      )}
      <Field id="status-date" label="Effective date" error={error?.field('effective_date')}>
        <input
          {...described('status-date', error?.field('effective_date'))}
          type="date"
          value={effective}
          onInput={(e) => setEffective(e.currentTarget.value)}
        />
      </Field>
      {error && !error.field('agency') && !error.field('effective_date') && <ErrorNotice error={error} />}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Recording…' : 'Record'}
      </button>
    </form>
  );
}
