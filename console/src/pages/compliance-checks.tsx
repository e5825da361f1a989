import { api, type Query } from '../api/client.js';
import { setQuery, useLocation } from '../router.js';
import { ChoiceFilter, TextFilters } from '../ui/filters.js';
import { label, timestamp } from '../ui/format.js';
import { PagedView, usePaged } from '../ui/list.js';
import { Badge, Field, Link, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';

type CheckQuery = Query<'/v1/compliance/checks', 'get'>;

function subjectLink(type: string, id: string | null) {
  if (!id) return label(type);
  if (type === 'loan') return <Link href={`/loans/${id}`}>loan {id.slice(0, 8)}</Link>;
  if (type === 'customer') return <Link href={`/customers/${id}`}>customer {id.slice(0, 8)}</Link>;
  if (type === 'message') return <Link href={`/messages/${id}`}>message {id.slice(0, 8)}</Link>;
  if (type === 'payment') return <Link href={`/payments/${id}`}>payment {id.slice(0, 8)}</Link>;
  return `${label(type)} ${id.slice(0, 8)}`;
}

/** Every rule evaluation at the hook points, newest first, filtered by the API (the URL holds the filters). */
export function ComplianceChecksPage() {
  const { query } = useLocation();
  const q = (k: string) => query.get(k) ?? '';
  const [outcome, hook, rule, exceptions, subjectType, subjectId] = [
    q('outcome'),
    q('hook'),
    q('rule'),
    q('exceptions'),
    q('subject_type'),
    q('subject_id'),
  ];
  const paged = usePaged(
    (before, signal) =>
      api.get('/v1/compliance/checks', {
        query: {
          limit: 25,
          before,
          outcome: (outcome || undefined) as CheckQuery['outcome'],
          hook: (hook || undefined) as CheckQuery['hook'],
          rule: (rule || undefined) as CheckQuery['rule'],
          exceptions: (exceptions || undefined) as CheckQuery['exceptions'],
          subject_type: subjectType || undefined,
          subject_id: subjectId || undefined,
        },
        signal,
      }),
    [outcome, hook, rule, exceptions, subjectType, subjectId],
  );
  return (
    <Page title="Compliance checks" actions={<Link href="/compliance">Rules</Link>}>
      <TextFilters
        label="Filter compliance checks"
        fields={[
          { name: 'subject_type', title: 'Subject type', value: subjectType },
          { name: 'subject_id', title: 'Subject id', value: subjectId },
        ]}
      >
        <ChoiceFilter path="/v1/compliance/checks" name="outcome" title="Outcome" value={outcome} />
        <ChoiceFilter path="/v1/compliance/checks" name="hook" title="Hook" value={hook} />
        <ChoiceFilter path="/v1/compliance/checks" name="rule" title="Rule" value={rule} />
        <Field id="f-exceptions" label="Exceptions only">
          <select
            id="f-exceptions"
            value={exceptions}
            onChange={(e) => setQuery({ exceptions: e.currentTarget.value || undefined })}
          >
            <option value="">All</option>
            <option value="true">Warnings and blocks</option>
          </select>
        </Field>
      </TextFilters>
      <PagedView paged={paged} what="compliance checks" empty="No checks match these filters.">
        {(rows) => (
          <Table
            caption="Compliance checks"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { key: 'at', label: 'When', render: (r) => timestamp(r.at), sort: (r) => r.at },
              { key: 'rule', label: 'Rule', render: (r) => label(r.rule), sort: (r) => r.rule },
              { key: 'hook', label: 'Hook', render: (r) => label(r.hook), sort: (r) => r.hook },
              {
                key: 'outcome',
                label: 'Outcome',
                render: (r) => <Badge value={r.outcome} />,
                sort: (r) => r.outcome,
              },
              { key: 'subject', label: 'Subject', render: (r) => subjectLink(r.subject_type, r.subject_id) },
              { key: 'reasons', label: 'Reasons', render: (r) => r.reasons.join('; ') || '—' },
              { key: 'citation', label: 'Citation', render: (r) => <small>{r.citation}</small> },
            ]}
          />
        )}
      </PagedView>
    </Page>
  );
}
