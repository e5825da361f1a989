import { useState } from 'preact/hooks';
import { type ApiError, api } from '../api/client.js';
import { session } from '../api/session.js';
import type { ComplianceRule, ProviderConfig } from '../api/types.js';
import { setQuery, useLocation } from '../router.js';
import { label } from '../ui/format.js';
import { ListView } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { Badge, ErrorNotice, Field, Link, Page } from '../ui/parts.js';
import { Table } from '../ui/table.js';
import { OfacLists } from './ofac.js';
import { ConfigForm } from './providers.js';

/**
 * The compliance rules and what applies for the tenant or one program: each rule's configs (a form generated from
 * the rule's config schema), a program's choice per rule (the tenant's configs, one config, or off), the OFAC list
 * and a link to the checks log. The API resolves the set; the page shows its answer.
 */
export function CompliancePage() {
  const { query } = useLocation();
  const programId = query.get('program_id') ?? '';
  const programs = useLoad((signal) => api.get('/v1/programs', { query: { limit: 200 }, signal }), []);
  const rules = useLoad(
    (signal) => api.get('/v1/compliance/rules', { query: { program_id: programId || undefined }, signal }),
    [programId],
  );
  const defs = useLoad((signal) => api.get('/v1/providers', { signal }), []);
  const configs = useLoad(
    (signal) => api.get('/v1/provider-configs', { query: { service_type: 'compliance_rule' }, signal }),
    [],
  );
  const [editing, setEditing] = useState<{ rule: string; config?: ProviderConfig } | null>(null);
  const reload = () => {
    rules.reload();
    configs.reload();
  };
  const ruleDefs = defs.data?.data.filter((d) => d.service_type === 'compliance_rule') ?? [];
  const ofRule = (key: string) => configs.data?.data.filter((c) => c.provider_key === key) ?? [];
  return (
    <Page title="Compliance" actions={<Link href="/compliance/checks">Checks log</Link>}>
      <Field id="c-program" label="Rules that apply to">
        <select
          id="c-program"
          value={programId}
          onChange={(e) => setQuery({ program_id: e.currentTarget.value || undefined })}
        >
          <option value="">The tenant (every program without its own choice)</option>
          {programs.data?.data.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      {editing && (
        <ConfigForm
          key={editing.config?.id ?? editing.rule}
          definitions={ruleDefs.filter((d) => d.provider_key === editing.rule)}
          existing={editing.config}
          onDone={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
      {configs.error && <ErrorNotice error={configs.error} retry={configs.reload} />}
      <ListView loaded={rules} what="compliance rules" empty="No compliance rules are registered.">
        {(rows) => (
          <Table
            caption="Compliance rules"
            rows={rows}
            rowKey={(r) => r.key}
            columns={[
              {
                key: 'rule',
                label: 'Rule',
                render: (r) => (
                  <>
                    <strong>{r.display_name}</strong>
                    <br />
                    <small class="muted">{r.citation}</small>
                  </>
                ),
                sort: (r) => r.display_name,
              },
              { key: 'hooks', label: 'Checked at', render: (r) => r.hooks.map(label).join(', ') },
              {
                key: 'applied',
                label: 'Applies',
                render: (r) => <Applied rule={r} configs={ofRule(r.key)} />,
              },
              {
                key: 'act',
                label: 'Actions',
                render: (r) =>
                  session.can('admin') && (
                    <div class="row">
                      <button
                        type="button"
                        onClick={() => setEditing({ rule: r.key })}
                        aria-label={`Configure ${r.display_name}`}
                      >
                        Configure
                      </button>
                      {ofRule(r.key).map((c) => (
                        <button
                          type="button"
                          key={c.id}
                          onClick={() => setEditing({ rule: r.key, config: c })}
                          aria-label={`Edit ${c.label}`}
                        >
                          Edit {c.label}
                        </button>
                      ))}
                      {programId && (
                        <ProgramChoice
                          programId={programId}
                          rule={r}
                          configs={ofRule(r.key)}
                          changed={rules.reload}
                        />
                      )}
                    </div>
                  ),
              },
            ]}
          />
        )}
      </ListView>
      <OfacLists />
    </Page>
  );
}

function Applied(props: { rule: ComplianceRule; configs: ProviderConfig[] }) {
  if (props.rule.applied.length === 0) return <Badge value="off" />;
  return (
    <ul class="plain">
      {props.rule.applied.map((a) => (
        <li key={a.provider_config_id}>
          {props.configs.find((c) => c.id === a.provider_config_id)?.label ??
            a.provider_config_id.slice(0, 8)}{' '}
          <small class="muted">({label(a.source)})</small>
        </li>
      ))}
    </ul>
  );
}

/** A program's choice for one rule: the tenant's configs of it, one of them, or the rule switched off. */
function ProgramChoice(props: {
  programId: string;
  rule: ComplianceRule;
  configs: ProviderConfig[];
  changed: () => void;
}) {
  const [error, setError] = useState<ApiError>();
  const path = {
    id: props.programId,
    service_type: 'compliance_rule' as const,
    provider_key: props.rule.key,
  };
  const current = props.rule.applied.find((a) => a.source === 'program');
  // No config applies although the tenant has some: the program switched the rule off.
  const value = current
    ? current.provider_config_id
    : props.rule.applied.length === 0 && props.configs.length > 0
      ? 'off'
      : '';
  const choose = async (v: string) => {
    setError(undefined);
    try {
      if (v === '')
        await api.delete('/v1/programs/{id}/provider-set-assignments/{service_type}/{provider_key}', {
          path,
        });
      else
        await api.put('/v1/programs/{id}/provider-set-assignments/{service_type}/{provider_key}', {
          path,
          body: { provider_config_id: v === 'off' ? null : v },
        });
      props.changed();
    } catch (x) {
      setError(x as ApiError);
    }
  };
  return (
    <>
      <select
        aria-label={`${props.rule.display_name} for this program`}
        value={value}
        onChange={(e) => void choose(e.currentTarget.value)}
      >
        <option value="">The tenant’s configs</option>
        {props.configs.map((c) => (
          <option key={c.id} value={c.id}>
            Only {c.label}
          </option>
        ))}
        <option value="off">Off for this program</option>
      </select>
      {error && <ErrorNotice error={error} />}
    </>
  );
}
