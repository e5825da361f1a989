import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { setQuery, useLocation } from '../router.js';
import { label, timestamp } from '../ui/format.js';
import { PagedView, usePaged } from '../ui/list.js';
import { Field, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';

export function AuditPage() {
  const { query } = useLocation();
  const entityType = query.get('entity_type') ?? '';
  const entityId = query.get('entity_id') ?? '';
  const [form, setForm] = useState({ entityType, entityId });
  const paged = usePaged(
    (before, signal) =>
      api.get('/v1/audit-log', {
        query: { limit: 50, before, entity_type: entityType || undefined, entity_id: entityId || undefined },
        signal,
      }),
    [entityType, entityId],
  );
  return (
    <Page title="Audit log">
      <form
        class="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({
            entity_type: form.entityType.trim() || undefined,
            entity_id: form.entityId.trim() || undefined,
          });
        }}
      >
        <Field id="a-type" label="Entity type">
          <input
            id="a-type"
            value={form.entityType}
            onInput={(e) => setForm({ ...form, entityType: e.currentTarget.value })}
          />
        </Field>
        <Field id="a-id" label="Entity id">
          <input
            id="a-id"
            value={form.entityId}
            onInput={(e) => setForm({ ...form, entityId: e.currentTarget.value })}
          />
        </Field>
        <button type="submit">Filter</button>
      </form>
      <PagedView paged={paged} what="audit entries" empty="No audit entries match.">
        {(rows) => (
          <Table
            caption="Audit log"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: 'at',
                label: 'When',
                render: (r) => timestamp(r.occurred_at),
                sort: (r) => r.occurred_at,
              },
              { key: 'action', label: 'Action', render: (r) => r.action, sort: (r) => r.action },
              {
                key: 'entity',
                label: 'Entity',
                render: (r) => `${label(r.entity_type)} ${r.entity_id?.slice(0, 8) ?? ''}`,
                sort: (r) => r.entity_type,
              },
              {
                key: 'actor',
                label: 'Actor',
                render: (r) => `${label(r.actor.type)} ${r.actor.id?.slice(0, 8) ?? ''}`,
              },
              {
                key: 'changes',
                label: 'Changes',
                render: (r) => <code class="changes">{JSON.stringify(r.changes)}</code>,
              },
            ]}
          />
        )}
      </PagedView>
    </Page>
  );
}
