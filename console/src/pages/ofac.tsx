import { useState } from 'preact/hooks';
import { api, send } from '../api/client.js';
import { session } from '../api/session.js';
import { useAction } from '../ui/action.js';
import { timestamp } from '../ui/format.js';
import { ListView } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, described, ErrorNotice, Field } from '../ui/parts.js';
import { Table } from '../ui/table.js';

/** The OFAC SDN lists loaded (the active one and those it superseded), and an upload of a new one (admins). */
export function OfacLists() {
  const lists = useLoad(
    (signal) => api.get('/v1/compliance/ofac-lists', { query: { limit: 10 }, signal }),
    [],
  );
  return (
    <section aria-labelledby="ofac-title">
      <h2 id="ofac-title">OFAC sanctions list</h2>
      <ListView
        loaded={lists}
        what="OFAC lists"
        empty="No OFAC list is loaded: sanctions screening has nothing to match."
      >
        {(rows) => (
          <Table
            caption="OFAC lists"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { key: 'status', label: 'Status', render: (r) => <Badge value={r.status} /> },
              { key: 'entries', label: 'Entries', render: (r) => r.entries, numeric: true },
              { key: 'aliases', label: 'Aliases', render: (r) => r.aliases, numeric: true },
              { key: 'source', label: 'Source', render: (r) => r.source ?? '—' },
              { key: 'at', label: 'Loaded', render: (r) => timestamp(r.loaded_at) },
              { key: 'sha', label: 'SHA-256', render: (r) => <code>{r.sdn_sha256.slice(0, 12)}</code> },
            ]}
          />
        )}
      </ListView>
      {session.can('admin') && <OfacUpload onDone={lists.reload} />}
    </section>
  );
}

/** The API parses the files whole before the new list replaces the active one; a bad line is named in the error. */
function OfacUpload(props: { onDone: () => void }) {
  const [sdn, setSdn] = useState<File>();
  const [alt, setAlt] = useState<File>();
  const [source, setSource] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const form = new FormData();
      if (sdn) form.append('sdn', sdn, sdn.name);
      if (alt) form.append('alt', alt, alt.name);
      if (source.trim()) form.append('source', source.trim());
      await send('POST', '/v1/compliance/ofac-lists', { body: form });
      setSdn(undefined);
      setAlt(undefined);
      props.onDone();
    });
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="ofac-upload-title">
      <h3 id="ofac-upload-title">Load a new list</h3>
      <Field id="ofac-sdn" label="sdn.csv" error={error?.field('sdn')}>
        <input
          {...described('ofac-sdn', error?.field('sdn'))}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setSdn(e.currentTarget.files?.[0])}
        />
      </Field>
      <Field id="ofac-alt" label="alt.csv (optional)" error={error?.field('alt')}>
        <input
          {...described('ofac-alt', error?.field('alt'))}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setAlt(e.currentTarget.files?.[0])}
        />
      </Field>
      <Field id="ofac-source" label="Source (optional)">
        <input id="ofac-source" value={source} onInput={(e) => setSource(e.currentTarget.value)} />
      </Field>
      {error && !error.field('sdn') && !error.field('alt') && <ErrorNotice error={error} />}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Loading…' : 'Load list'}
      </button>
    </form>
  );
}
