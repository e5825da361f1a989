// A program's forms: a new program, and the edit of one. Both generate the terms form from the program type's
// JSON Schema (GET /v1/program-types); the API validates and names the field it refuses.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type RequestBody } from '../api/client.js';
import type { Program, ProgramType } from '../api/types.js';
import { navigate } from '../router.js';
import { useLoad } from '../ui/load.js';
import { described, ErrorNotice, Field, Loading } from '../ui/parts.js';
import { initialValue, pruned, SchemaForm } from '../ui/schema-form.js';

type Terms = RequestBody<'/v1/programs', 'post'>['terms'];

export const loadTypes = (signal: AbortSignal) => api.get('/v1/program-types', { signal });

/** A program's terms form, generated from its type's schema (GET /v1/program-types). */
export function NewProgram(props: { onCancel: () => void }) {
  const types = useLoad(loadTypes, []);
  const [type, setType] = useState('');
  const [name, setName] = useState('');
  const [terms, setTerms] = useState<unknown>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const chosen = types.data?.data.find((t) => t.program_type === type) ?? types.data?.data[0];
  useEffect(() => {
    if (chosen) setTerms(initialValue(chosen.terms_schema));
  }, [chosen?.program_type]);
  if (types.error) return <ErrorNotice error={types.error} retry={types.reload} />;
  if (!chosen) return <Loading what="program types" />;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const p = await api.post('/v1/programs', {
        body: {
          name,
          program_type: chosen.program_type,
          terms: pruned(terms) as Terms,
        },
      });
      navigate(`/programs/${p.id}`);
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="new-program">
      <h2 id="new-program">New program</h2>
      <TextField id="p-name" label="Name" value={name} onInput={setName} error={error?.field('name')} />
      <Field id="p-type" label="Program type">
        <select id="p-type" value={chosen.program_type} onChange={(e) => setType(e.currentTarget.value)}>
          {types.data!.data.map((t) => (
            <option key={t.program_type} value={t.program_type}>
              {t.display_name}
            </option>
          ))}
        </select>
      </Field>
      <TermsAndSubmit
        schema={chosen.terms_schema}
        terms={terms}
        setTerms={setTerms}
        error={error}
        retry={() => void submit(new Event('submit'))}
        busy={busy}
        submit={busy ? 'Creating…' : 'Create program'}
        onCancel={props.onCancel}
      />
    </form>
  );
}

/**
 * The edit of a program: name, description, status and terms (the whole terms, as the type's schema reads them).
 * Sent with If-Match: the program's version as the page shows it. If someone else changed the program meanwhile
 * the API answers 412 and writes nothing; the page reloads (`onStale`) and says so.
 */
export function EditProgram(props: {
  program: Program;
  type: ProgramType;
  onSaved: (p: Program) => void;
  onStale: () => void;
  onCancel: () => void;
}) {
  const p = props.program;
  const [name, setName] = useState(p.name);
  const [description, setDescription] = useState(p.description ?? '');
  const [status, setStatus] = useState(p.status as 'active' | 'retired');
  const [terms, setTerms] = useState<unknown>(() => structuredClone(p.terms));
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const newTerms = pruned(terms);
    const body = {
      ...(name !== p.name && { name }),
      ...(description !== (p.description ?? '') && { description: description || null }),
      ...(status !== p.status && { status }),
      ...(JSON.stringify(newTerms) !== JSON.stringify(p.terms) && { terms: newTerms as Terms }),
    };
    if (Object.keys(body).length === 0) {
      setError(new ApiError(400, 'unchanged', 'Nothing was changed.'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api.patch('/v1/programs/{id}', {
        path: { id: p.id },
        body,
        headers: { 'if-match': `"${p.version}"` },
      });
      props.onSaved(saved);
    } catch (x) {
      if (x instanceof ApiError && x.status === 412) return props.onStale();
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="edit-program">
      <h2 id="edit-program">Edit program</h2>
      <TextField id="e-name" label="Name" value={name} onInput={setName} error={error?.field('name')} />
      <TextField
        id="e-description"
        label="Description (optional)"
        value={description}
        onInput={setDescription}
        error={error?.field('description')}
        multiline
      />
      <Field
        id="e-status"
        label="Status"
        hint="A retired program originates no new loans; its loans are serviced as before."
      >
        <select
          {...described('e-status', undefined, 'hint')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as 'active' | 'retired')}
        >
          <option value="active">Active</option>
          <option value="retired">Retired</option>
        </select>
      </Field>
      <TermsAndSubmit
        schema={props.type.terms_schema}
        note="New terms apply to loans originated from now on; existing loans keep the terms they were made with."
        terms={terms}
        setTerms={setTerms}
        error={error}
        retry={() => void submit(new Event('submit'))}
        busy={busy}
        submit={busy ? 'Saving…' : 'Save changes'}
        onCancel={props.onCancel}
      />
    </form>
  );
}

/** A text input (or textarea) with its label and the API's error for it. */
function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  multiline?: boolean;
}) {
  const attrs = {
    ...described(props.id, props.error),
    value: props.value,
    onInput: (e: { currentTarget: { value: string } }) => props.onInput(e.currentTarget.value),
  };
  return (
    <Field id={props.id} label={props.label} error={props.error}>
      {props.multiline ? <textarea {...attrs} /> : <input {...attrs} />}
    </Field>
  );
}

/** The terms form generated from the type's schema, the form's error (with a retry) and its buttons. */
function TermsAndSubmit(props: {
  schema: ProgramType['terms_schema'];
  note?: string;
  terms: unknown;
  setTerms: (v: unknown) => void;
  error: ApiError | undefined;
  retry: () => void;
  busy: boolean;
  submit: string;
  onCancel: () => void;
}) {
  return (
    <>
      <fieldset>
        <legend>Terms</legend>
        {props.note && <p class="muted">{props.note}</p>}
        <SchemaForm
          schema={props.schema}
          value={props.terms}
          onChange={props.setTerms}
          root="terms"
          errors={props.error?.fields ?? []}
        />
      </fieldset>
      {props.error && <ErrorNotice error={props.error} retry={props.retry} />}
      <div class="row">
        <button type="submit" class="primary" disabled={props.busy}>
          {props.submit}
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
      </div>
    </>
  );
}
