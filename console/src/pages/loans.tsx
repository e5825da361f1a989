import { useState } from 'preact/hooks';
import { api, type Query } from '../api/client.js';
import { queryChoices } from '../api/published.js';
import { setQuery, useLocation } from '../router.js';
import { date, label, money } from '../ui/format.js';
import { PagedView, usePaged } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, Field, Link, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';

/** Loans with the API's filters (status, program, days past due) and its cursor paging; the URL holds the filters. */
export function LoansPage() {
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const program = query.get('program_id') ?? '';
  const dpd = query.get('min_days_past_due') ?? '';
  const [dpdText, setDpdText] = useState(dpd);
  const statuses = useLoad(() => queryChoices('/v1/loans', 'status'), []);
  const programs = useLoad((signal) => api.get('/v1/programs', { query: { limit: 200 }, signal }), []);
  const names = new Map(programs.data?.data.map((p) => [p.id, p.name]));
  const paged = usePaged(
    (before, signal) =>
      api.get('/v1/loans', {
        query: {
          limit: 25,
          view: 'summary',
          before,
          status: (status || undefined) as Query<'/v1/loans', 'get'>['status'],
          program_id: program || undefined,
          min_days_past_due: dpd ? Number(dpd) : undefined,
        },
        signal,
      }),
    [status, program, dpd],
  );
  return (
    <Page title="Loans">
      <form
        class="filters"
        aria-label="Filter loans"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ min_days_past_due: dpdText.trim() || undefined });
        }}
      >
        <Field id="f-status" label="Status">
          <select
            id="f-status"
            value={status}
            onChange={(e) => setQuery({ status: e.currentTarget.value || undefined })}
          >
            <option value="">Any</option>
            {statuses.data?.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="f-program" label="Program">
          <select
            id="f-program"
            value={program}
            onChange={(e) => setQuery({ program_id: e.currentTarget.value || undefined })}
          >
            <option value="">Any</option>
            {programs.data?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="f-dpd" label="At least days past due">
          <input
            id="f-dpd"
            type="number"
            min={1}
            inputMode="numeric"
            value={dpdText}
            onInput={(e) => setDpdText(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">Apply</button>
      </form>
      <PagedView paged={paged} what="loans" empty="No loans match these filters.">
        {(rows) => (
          <Table
            caption="Loans"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'loan',
                label: 'Loan',
                render: (r) => <Link href={`/loans/${r.id}`}>{r.external_ref ?? r.id.slice(0, 8)}</Link>,
              },
              {
                key: 'program',
                label: 'Program',
                render: (r) => names.get(r.program_id) ?? label(r.product),
                sort: (r) => names.get(r.program_id) ?? r.product,
              },
              {
                key: 'status',
                label: 'Status',
                render: (r) => <Badge value={r.status} />,
                sort: (r) => r.status,
              },
              {
                key: 'amount',
                label: 'Amount',
                render: (r) => money(r.amount, r.currency),
                sort: (r) => r.amount,
                numeric: true,
              },
              {
                key: 'dpd',
                label: 'Days past due',
                render: (r) => r.days_past_due,
                sort: (r) => r.days_past_due,
                numeric: true,
              },
              {
                key: 'next',
                label: 'Next due',
                render: (r) => date(r.next_due_date),
                sort: (r) => r.next_due_date,
              },
              { key: 'start', label: 'Start', render: (r) => date(r.start_date), sort: (r) => r.start_date },
            ]}
          />
        )}
      </PagedView>
    </Page>
  );
}
