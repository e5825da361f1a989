import { useState } from 'preact/hooks';
import { api, type RequestBody } from '../api/client.js';
import { session } from '../api/session.js';
import type { Rendered, Template } from '../api/types.js';
import { useAction } from '../ui/action.js';
import { label } from '../ui/format.js';
import { ListView } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import {
  Badge,
  ConfirmButton,
  described,
  ErrorNotice,
  Facts,
  Field,
  Link,
  Page,
  Pending,
} from '../ui/parts.js';
import { Table } from '../ui/table.js';

type Content = RequestBody<'/v1/templates/{key}', 'put'>;
type Channel = Template['channels'][number];
/** The fields of each channel's content, as the API's template content holds them. */
const FIELDS: Record<Channel, string[]> = {
  email: ['subject', 'text', 'html'],
  sms: ['body'],
  letter: ['body'],
};

export function TemplatesPage() {
  const loaded = useLoad((signal) => api.get('/v1/templates', { signal }), []);
  return (
    <Page title="Templates">
      <ListView loaded={loaded} what="templates" empty="No templates.">
        {(rows) => (
          <Table
            caption="Templates"
            rows={rows}
            rowKey={(r) => r.key}
            columns={[
              {
                key: 'name',
                label: 'Template',
                render: (r) => <Link href={`/templates/${r.key}`}>{r.name}</Link>,
                sort: (r) => r.name,
              },
              { key: 'desc', label: 'Used for', render: (r) => r.description },
              { key: 'channels', label: 'Channels', render: (r) => r.channels.map(label).join(', ') },
              {
                key: 'override',
                label: 'Tenant override',
                render: (r) =>
                  r.overridden_channels.length ? r.overridden_channels.map(label).join(', ') : '—',
              },
            ]}
          />
        )}
      </ListView>
    </Page>
  );
}

/**
 * A template: its variables, each channel's content (the tenant's override, or the built-in one), an editor for the
 * override (admins), and the preview the API renders from the content being edited, before it is saved.
 */
export function TemplatePage(props: { templateKey: string }) {
  const loaded = useLoad(
    (signal) => api.get('/v1/templates/{key}', { path: { key: props.templateKey }, signal }),
    [props.templateKey],
  );
  // A reset starts the editors again from the built-in content; a save keeps what was typed (it is what was saved).
  const [resets, setResets] = useState(0);
  const t = loaded.data;
  if (!t) return <Pending title="Template" what="the template" error={loaded.error} retry={loaded.reload} />;
  return (
    <Page title={t.name}>
      <p>{t.description}</p>
      <Facts items={Object.entries(t.variables).map(([k, v]) => [k, v])} />
      {t.channels.map((c) => (
        <ChannelEditor
          key={`${c}-${resets}`}
          template={t}
          channel={c}
          saved={loaded.reload}
          reset={() => {
            setResets(resets + 1);
            loaded.reload();
          }}
        />
      ))}
    </Page>
  );
}

function ChannelEditor(props: {
  template: Template;
  channel: Channel;
  saved: () => void;
  reset: () => void;
}) {
  const { template: t, channel } = props;
  const stored = (t.content[channel] ?? {}) as Record<string, string>;
  const [draft, setDraft] = useState<Record<string, string>>(stored);
  const [preview, setPreview] = useState<Rendered>();
  const [note, setNote] = useState('');
  const action = useAction();
  const { busy, error } = action;
  const canEdit = session.can('admin');
  const content = { [channel]: draft } as Content;
  const id = (f: string) => `t-${channel}-${f}`;
  const fieldError = (f: string) =>
    error?.field(`${channel}.${f}`) ?? error?.field(`content.${channel}.${f}`);
  const run = (what: () => Promise<void>) => {
    setNote('');
    return action.run(what);
  };
  const showPreview = () =>
    run(async () => {
      setPreview(
        await api.post('/v1/templates/{key}/preview', {
          path: { key: t.key },
          query: { format: 'json' },
          body: { channel, content, variables: t.sample_variables as Record<string, unknown> },
        }),
      );
    });
  const save = () =>
    run(async () => {
      await api.put('/v1/templates/{key}', { path: { key: t.key }, body: content });
      setNote('Saved as the tenant’s override.');
      props.saved();
    });
  const overridden = t.overridden_channels.includes(channel);
  return (
    <section class="card form" aria-labelledby={`t-${channel}-title`}>
      <h2 id={`t-${channel}-title`}>
        {label(channel)} <Badge value={overridden ? 'tenant override' : 'built in'} />
      </h2>
      {FIELDS[channel].map((f) => (
        <Field key={f} id={id(f)} label={label(f)} error={fieldError(f)}>
          <textarea
            {...described(id(f), fieldError(f))}
            rows={f === 'subject' ? 1 : 6}
            readOnly={!canEdit}
            value={draft[f] ?? ''}
            onInput={(e) => setDraft({ ...draft, [f]: e.currentTarget.value })}
          />
        </Field>
      ))}
      {error && <ErrorNotice error={error} />}
      {note && <output class="ok">{note}</output>}
      <div class="row">
        {session.can('operator') && (
          <button type="button" onClick={showPreview} disabled={busy}>
            Preview
          </button>
        )}
        {canEdit && (
          <button type="button" class="primary" onClick={save} disabled={busy}>
            Save override
          </button>
        )}
        {canEdit && overridden && (
          <ConfirmButton
            label="Reset"
            question={`Go back to the built-in content of “${t.name}”, every channel?`}
            onConfirm={async () => {
              await api.delete('/v1/templates/{key}', { path: { key: t.key } });
              props.reset();
            }}
          />
        )}
      </div>
      {preview && (
        <section class="preview" aria-live="polite" aria-label={`${label(channel)} preview`}>
          <h3>Preview with the sample variables</h3>
          {Object.entries(preview)
            .filter(([k]) => k !== 'channel')
            .map(([k, v]) => (
              <div key={k}>
                <h4>{label(k)}</h4>
                <pre class="text-block">{String(v)}</pre>
              </div>
            ))}
        </section>
      )}
    </section>
  );
}
