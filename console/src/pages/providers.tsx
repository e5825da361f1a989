import { useEffect, useState } from 'preact/hooks';
import type { PathsWith } from '../api/client.js';
import { type ApiError, api } from '../api/client.js';
import type { paths } from '../api/schema.js';
import { session } from '../api/session.js';
import type { Program, ProviderConfig, ProviderDefinition } from '../api/types.js';
import { setQuery, useLocation } from '../router.js';
import { label, timestamp } from '../ui/format.js';
import { useLoad } from '../ui/load.js';
import { Badge, ConfirmButton, described, Empty, ErrorNotice, Field, Loading, Page } from '../ui/parts.js';
import { initialValue, pruned, SchemaForm } from '../ui/schema-form.js';
import { Table } from '../ui/table.js';

/** The service types the API names (generated from its OpenAPI document). */
type ServiceType = NonNullable<
  NonNullable<paths['/v1/provider-configs']['get']['parameters']['query']>['service_type']
>;

/**
 * Providers per service type: the tenant's configs (secrets come back masked and are write-only), a form per
 * provider generated from its config schema, per-program assignments, and which config would serve a program.
 */
export function ProvidersPage() {
  const { query } = useLocation();
  const defs = useLoad((signal) => api.get('/v1/providers', { signal }), []);
  const types = [...new Set(defs.data?.data.map((d) => d.service_type))].filter(
    (t) => t !== 'lending_program',
  );
  const type = (query.get('service_type') ?? types[0] ?? '') as ServiceType;
  const configs = useLoad(
    (signal) =>
      type
        ? api.get('/v1/provider-configs', { query: { service_type: type }, signal })
        : Promise.resolve({ data: [] }),
    [type],
  );
  const [editing, setEditing] = useState<ProviderConfig | 'new' | null>(null);
  if (defs.error)
    return (
      <Page title="Providers">
        <ErrorNotice error={defs.error} retry={defs.reload} />
      </Page>
    );
  if (!defs.data)
    return (
      <Page title="Providers">
        <Loading what="providers" />
      </Page>
    );
  const ofType = defs.data.data.filter((d) => d.service_type === type);
  return (
    <Page
      title="Providers"
      actions={
        session.can('admin') && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            Configure a provider
          </button>
        )
      }
    >
      <Field id="service-type" label="Service type">
        <select
          id="service-type"
          value={type}
          onChange={(e) => setQuery({ service_type: e.currentTarget.value })}
        >
          {types.map((t) => (
            <option key={t} value={t}>
              {label(t)}
            </option>
          ))}
        </select>
      </Field>
      {editing && (
        <ConfigForm
          key={editing === 'new' ? 'new' : editing.id}
          definitions={ofType}
          existing={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(null);
            configs.reload();
          }}
        />
      )}
      <h2>Configs</h2>
      {configs.error && <ErrorNotice error={configs.error} retry={configs.reload} />}
      {configs.data &&
        (configs.data.data.length === 0 ? (
          <Empty>No {label(type)} provider is configured.</Empty>
        ) : (
          <Table
            caption="Provider configs"
            rows={configs.data.data}
            rowKey={(r) => r.id}
            columns={[
              { key: 'label', label: 'Label', render: (r) => r.label, sort: (r) => r.label },
              {
                key: 'provider',
                label: 'Provider',
                render: (r) => r.provider_key,
                sort: (r) => r.provider_key,
              },
              {
                key: 'config',
                label: 'Settings (secrets masked)',
                render: (r) => (
                  <dl class="inline-dl">
                    {Object.entries(r.config ?? {}).map(([k, v]) => (
                      <div key={k}>
                        <dt>{label(k)}</dt>
                        <dd>
                          <code>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</code>
                        </dd>
                      </div>
                    ))}
                  </dl>
                ),
              },
              {
                key: 'flags',
                label: 'State',
                render: (r) => (
                  <>
                    {r.is_default && <Badge value="default" />}{' '}
                    <Badge value={r.is_active ? 'active' : 'inactive'} />
                  </>
                ),
              },
              { key: 'updated', label: 'Updated', render: (r) => timestamp(r.updated_at) },
              {
                key: 'act',
                label: 'Actions',
                render: (r) =>
                  session.can('admin') && (
                    <div class="row">
                      <button type="button" onClick={() => setEditing(r)}>
                        Edit
                      </button>
                      <ConfirmButton
                        label="Delete"
                        danger
                        question={`Delete the provider config “${r.label}”?`}
                        onConfirm={async () => {
                          await api.delete('/v1/provider-configs/{id}', { path: { id: r.id } });
                          configs.reload();
                        }}
                      />
                    </div>
                  ),
              },
            ]}
          />
        ))}
      {type && <Assignments type={type} configs={configs.data?.data ?? []} />}
    </Page>
  );
}

export function ConfigForm(props: {
  definitions: ProviderDefinition[];
  existing?: ProviderConfig;
  onDone: () => void;
}) {
  const [key, setKey] = useState(props.existing?.provider_key ?? props.definitions[0]?.provider_key ?? '');
  const def = props.definitions.find((d) => d.provider_key === key);
  const [labelText, setLabel] = useState(props.existing?.label ?? '');
  const [config, setConfig] = useState<unknown>({});
  const [isDefault, setDefault] = useState(props.existing?.is_default ?? true);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!def) return;
    // Editing: start from the stored settings without the masked secrets (left blank, a secret is kept).
    if (props.existing) {
      const { ...shown } = props.existing.config;
      for (const s of def.secret_fields) delete shown[s];
      setConfig(shown);
    } else setConfig(initialValue(def.config_schema));
  }, [def?.provider_key]);
  if (!def) return <Empty>No provider of this service type is registered.</Empty>;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        label: labelText,
        config: pruned(config) as Record<string, unknown>,
        is_default: isDefault,
      };
      if (props.existing)
        await api.patch('/v1/provider-configs/{id}', { path: { id: props.existing.id }, body });
      else
        await api.post('/v1/provider-configs', {
          body: { ...body, service_type: def.service_type as never, provider_key: key },
        });
      props.onDone();
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="config-title">
      <h2 id="config-title">{props.existing ? `Edit ${props.existing.label}` : 'Configure a provider'}</h2>
      <Field id="cfg-provider" label="Provider">
        <select
          id="cfg-provider"
          value={key}
          disabled={!!props.existing}
          onChange={(e) => setKey(e.currentTarget.value)}
        >
          {props.definitions.map((d) => (
            <option key={d.provider_key} value={d.provider_key}>
              {d.display_name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="cfg-label" label="Label" error={error?.field('label')}>
        <input
          {...described('cfg-label', error?.field('label'))}
          value={labelText}
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
      </Field>
      <fieldset>
        <legend>Settings</legend>
        <SchemaForm
          schema={def.config_schema}
          value={config}
          onChange={setConfig}
          root="config"
          errors={error?.fields ?? []}
          secrets={def.secret_fields}
        />
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={isDefault} onChange={(e) => setDefault(e.currentTarget.checked)} />{' '}
        The tenant’s default for this service type
      </label>
      {error && <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Per-program assignments and the resolution chain's answer for each program. */
function Assignments(props: { type: ServiceType; configs: ProviderConfig[] }) {
  const programs = useLoad((signal) => api.get('/v1/programs', { query: { limit: 200 }, signal }), []);
  if (programs.error) return <ErrorNotice error={programs.error} retry={programs.reload} />;
  if (!programs.data) return null;
  return (
    <section aria-labelledby="assign-title">
      <h2 id="assign-title">Per program</h2>
      {programs.data.data.length === 0 ? (
        <Empty>No programs.</Empty>
      ) : (
        <Table
          caption="Which config serves each program"
          rows={programs.data.data}
          rowKey={(r) => r.id}
          columns={[
            { key: 'name', label: 'Program', render: (r) => r.name, sort: (r) => r.name },
            {
              key: 'serves',
              label: 'Would be served by',
              render: (r) => <Resolution type={props.type} program={r} configs={props.configs} />,
            },
          ]}
        />
      )}
    </section>
  );
}

function Resolution(props: { type: ServiceType; program: Program; configs: ProviderConfig[] }) {
  const [tick, setTick] = useState(0);
  const r = useLoad(
    (signal) =>
      api.get('/v1/provider-resolution', {
        query: { service_type: props.type, program_id: props.program.id },
        signal,
      }),
    [props.type, props.program.id, tick, props.configs.length],
  );
  const [error, setError] = useState<ApiError>();
  const assign = async (configId: string) => {
    setError(undefined);
    const path: PathsWith<'put'> = '/v1/programs/{id}/provider-assignments/{service_type}';
    try {
      if (configId)
        await api.put(path, {
          path: { id: props.program.id, service_type: props.type },
          body: { provider_config_id: configId },
        });
      else
        await api.delete('/v1/programs/{id}/provider-assignments/{service_type}', {
          path: { id: props.program.id, service_type: props.type },
        });
      setTick(tick + 1);
    } catch (x) {
      setError(x as ApiError);
    }
  };
  if (!r.data) return r.error ? <ErrorNotice error={r.error} retry={r.reload} /> : <Loading />;
  const serving = props.configs.find((c) => c.id === r.data!.provider_config_id);
  return (
    <div class="row">
      <span>
        {serving ? serving.label : 'none'} <small class="muted">({label(r.data.source)})</small>
      </span>
      {session.can('admin') && (
        <select
          aria-label={`Assign a config to ${props.program.name}`}
          value={r.data.source === 'program' ? (r.data.provider_config_id ?? '') : ''}
          onChange={(e) => void assign(e.currentTarget.value)}
        >
          <option value="">Tenant default</option>
          {props.configs.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
