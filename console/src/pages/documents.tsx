import { useState } from 'preact/hooks';
import { ApiError, api, type Query } from '../api/client.js';
import { queryChoices } from '../api/published.js';
import { session } from '../api/session.js';
import type { Document } from '../api/types.js';
import { useLocation } from '../router.js';
import { ChoiceFilter, TextFilters } from '../ui/filters.js';
import { label, timestamp } from '../ui/format.js';
import { ListView, PagedView, usePaged } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, ConfirmButton, described, ErrorNotice, Field, Link, Page } from '../ui/parts.js';
import { type Column, Table } from '../ui/table.js';

type DocQuery = Query<'/v1/documents', 'get'>;
type Owner = { type: 'customer' | 'loan'; id: string };

const size = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1024 / 1024).toFixed(1)} MB`;

function ownerLink(d: Document) {
  if (!d.owner_id) return 'tenant';
  const href = d.owner_type === 'loan' ? `/loans/${d.owner_id}` : `/customers/${d.owner_id}`;
  return <Link href={href}>{`${d.owner_type} ${d.owner_id.slice(0, 8)}`}</Link>;
}

/**
 * A download is a presigned URL the API makes on request (short-lived, so not made for every row up front): the
 * browser then fetches the file from the store itself.
 */
function DownloadButton(props: { doc: Document }) {
  const [error, setError] = useState<ApiError>();
  if (props.doc.status !== 'stored') return null;
  const open = async () => {
    setError(undefined);
    try {
      const link = await api.get('/v1/documents/{id}/download-url', { path: { id: props.doc.id } });
      const a = document.createElement('a');
      a.href = link.url;
      a.download = props.doc.filename ?? '';
      a.rel = 'noopener';
      a.click();
    } catch (x) {
      setError(x as ApiError);
    }
  };
  return (
    <>
      <button type="button" onClick={open} aria-label={`Download ${props.doc.filename ?? props.doc.kind}`}>
        Download
      </button>
      {error && <ErrorNotice error={error} retry={open} />}
    </>
  );
}

function documentColumns(reload: () => void, withOwner: boolean): Column<Document>[] {
  return [
    {
      key: 'name',
      label: 'File',
      render: (r) => r.filename ?? r.id.slice(0, 8),
      sort: (r) => r.filename ?? '',
    },
    { key: 'kind', label: 'Kind', render: (r) => label(r.kind), sort: (r) => r.kind },
    ...(withOwner ? [{ key: 'owner', label: 'Owner', render: ownerLink }] : []),
    { key: 'size', label: 'Size', render: (r) => size(r.size), sort: (r) => r.size, numeric: true },
    { key: 'status', label: 'Status', render: (r) => <Badge value={r.status} />, sort: (r) => r.status },
    { key: 'at', label: 'Added', render: (r) => timestamp(r.created_at), sort: (r) => r.created_at },
    {
      key: 'act',
      label: 'Actions',
      render: (r) => (
        <div class="row">
          <DownloadButton doc={r} />
          {session.can('operator') && r.status !== 'deleted' && (
            <ConfirmButton
              label="Delete"
              danger
              question={`Delete ${r.filename ?? 'this document'}? The stored file is removed.`}
              onConfirm={async () => {
                await api.delete('/v1/documents/{id}', { path: { id: r.id } });
                reload();
              }}
            />
          )}
        </div>
      ),
    },
  ];
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * An upload as the API takes it: register the file (its size and SHA-256), PUT it to the presigned URL with
 * exactly the headers given, then confirm, which stores it only if the bytes are the ones declared.
 */
function UploadForm(props: { owner?: Owner; onDone: () => void }) {
  const kinds = useLoad(() => queryChoices('/v1/documents', 'kind'), []);
  const [ownerType, setOwnerType] = useState<string>(props.owner?.type ?? 'customer');
  const [ownerId, setOwnerId] = useState(props.owner?.id ?? '');
  const [kind, setKind] = useState('');
  const [file, setFile] = useState<File>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const chosenKind = kind || kinds.data?.[0] || '';
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setDone('');
    if (!file) {
      setError(new ApiError(400, 'invalid', 'Choose a file.', [{ path: 'file', message: 'choose a file' }]));
      return;
    }
    setBusy(true);
    try {
      const bytes = await file.arrayBuffer();
      const registered = await api.post('/v1/documents/uploads', {
        body: {
          owner_type: ownerType as 'customer',
          owner_id: ownerType === 'tenant' ? null : ownerId.trim(),
          kind: chosenKind as 'agreement',
          filename: file.name,
          content_type: file.type || 'application/octet-stream',
          size: file.size,
          sha256: await sha256Hex(bytes),
        },
      });
      const { upload } = registered;
      let put: Response;
      try {
        put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes });
      } catch {
        throw new ApiError(0, 'network', 'The file could not be sent to the store. Try again.');
      }
      if (!put.ok)
        throw new ApiError(put.status, 'upload_failed', `The store refused the file (${put.status}).`);
      await api.post('/v1/documents/{id}/confirm', { path: { id: registered.document.id } });
      setDone(`Stored ${file.name}.`);
      setFile(undefined);
      props.onDone();
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (p: string) => error?.field(p);
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="upload-title">
      <h3 id="upload-title">Upload a document</h3>
      {!props.owner && (
        <div class="row">
          <Field id="up-owner-type" label="Owner" error={fieldError('owner_type')}>
            <select
              {...described('up-owner-type', fieldError('owner_type'))}
              value={ownerType}
              onChange={(e) => setOwnerType(e.currentTarget.value)}
            >
              {['customer', 'loan', 'tenant'].map((t) => (
                <option key={t} value={t}>
                  {label(t)}
                </option>
              ))}
            </select>
          </Field>
          {ownerType !== 'tenant' && (
            <Field id="up-owner-id" label={`${label(ownerType)} id`} error={fieldError('owner_id')}>
              <input
                {...described('up-owner-id', fieldError('owner_id'))}
                value={ownerId}
                onInput={(e) => setOwnerId(e.currentTarget.value)}
              />
            </Field>
          )}
        </div>
      )}
      <Field id="up-kind" label="Kind" error={fieldError('kind')}>
        <select
          {...described('up-kind', fieldError('kind'))}
          value={chosenKind}
          onChange={(e) => setKind(e.currentTarget.value)}
        >
          {kinds.data?.map((k) => (
            <option key={k} value={k}>
              {label(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="up-file"
        label="File"
        error={fieldError('file') ?? fieldError('content_type') ?? fieldError('size')}
      >
        <input
          {...described('up-file', fieldError('file') ?? fieldError('content_type') ?? fieldError('size'))}
          type="file"
          onChange={(e) => setFile(e.currentTarget.files?.[0])}
        />
      </Field>
      {error && !error.fields.length && (
        <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />
      )}
      {done && <output class="ok">{done}</output>}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
    </form>
  );
}

/** Every document of the tenant, filtered by owner, kind and status (in the URL), with an upload form. */
export function DocumentsPage() {
  const { query } = useLocation();
  const q = (k: string) => query.get(k) ?? '';
  const [ownerType, ownerId, kind, status] = [q('owner_type'), q('owner_id'), q('kind'), q('status')];
  const paged = usePaged(
    (before, signal) =>
      api.get('/v1/documents', {
        query: {
          limit: 25,
          before,
          owner_type: (ownerType || undefined) as DocQuery['owner_type'],
          owner_id: ownerId || undefined,
          kind: (kind || undefined) as DocQuery['kind'],
          status: (status || undefined) as DocQuery['status'],
        },
        signal,
      }),
    [ownerType, ownerId, kind, status],
  );
  return (
    <Page title="Documents">
      <TextFilters
        label="Filter documents"
        fields={[{ name: 'owner_id', title: 'Owner id', value: ownerId }]}
      >
        <ChoiceFilter path="/v1/documents" name="owner_type" title="Owner" value={ownerType} />
        <ChoiceFilter path="/v1/documents" name="kind" title="Kind" value={kind} />
        <ChoiceFilter path="/v1/documents" name="status" title="Status" value={status} />
      </TextFilters>
      {session.can('operator') && <UploadForm onDone={paged.reload} />}
      <PagedView paged={paged} what="documents" empty="No documents match these filters.">
        {(rows) => (
          <Table
            caption="Documents"
            rows={rows}
            rowKey={(r) => r.id}
            columns={documentColumns(paged.reload, true)}
          />
        )}
      </PagedView>
    </Page>
  );
}

/** A customer's or a loan's documents, on its page. */
export function OwnerDocuments(props: { owner: Owner }) {
  const { owner } = props;
  const loaded = useLoad(
    (signal) =>
      api.get('/v1/documents', { query: { owner_type: owner.type, owner_id: owner.id, limit: 50 }, signal }),
    [owner.type, owner.id],
  );
  return (
    <section aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      <ListView loaded={loaded} what="documents" empty="No documents.">
        {(rows) => (
          <Table
            caption="Documents"
            rows={rows}
            rowKey={(r) => r.id}
            columns={documentColumns(loaded.reload, false)}
          />
        )}
      </ListView>
      {session.can('operator') && <UploadForm owner={owner} onDone={loaded.reload} />}
    </section>
  );
}
