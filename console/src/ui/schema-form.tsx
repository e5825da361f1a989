// Forms generated from a JSON Schema (a program type's terms, a provider's config): the API publishes each
// schema, so a new program type or provider gets its form with no console change. The API validates; the form only
// shapes the input and shows the API's errors at the fields they name.
import type { JSX } from 'preact';
import type { FieldIssue } from '../api/client.js';
import type { JsonSchema } from '../api/types.js';
import { label } from './format.js';

type Value = unknown;

const isNull = (s: JsonSchema) => s.type === 'null';
const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** A schema's alternatives without the null one, and whether null was one of them. */
function alternatives(s: JsonSchema): { nullable: boolean; options: JsonSchema[] } | undefined {
  const list = s.anyOf ?? s.oneOf;
  if (!list) return undefined;
  const flat = list.flatMap((o) =>
    o.oneOf && !o.properties ? o.oneOf : o.anyOf && !o.properties ? o.anyOf : [o],
  );
  return { nullable: flat.some(isNull) || s.default === null, options: flat.filter((o) => !isNull(o)) };
}

/** What tells one alternative from another: its title, or the constant its `type`/`kind` property holds. */
function optionName(s: JsonSchema, i: number): string {
  if (s.title) return label(s.title);
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    const c = p.const ?? (p.enum?.length === 1 ? p.enum[0] : undefined);
    if (c !== undefined && (k === 'type' || k === 'kind' || k === 'method' || k === 'mode'))
      return label(String(c));
  }
  return typeOf(s) ? label(typeOf(s)!) : `option ${i + 1}`;
}

function optionIndex(options: JsonSchema[], v: Value): number {
  if (v === undefined || v === null) return 0;
  const i = options.findIndex((o) => {
    if (typeof v !== 'object')
      return typeOf(o) === typeof v || (typeOf(o) === 'integer' && typeof v === 'number');
    return Object.entries(o.properties ?? {}).every(([k, p]) => {
      const c = p.const ?? (p.enum?.length === 1 ? p.enum[0] : undefined);
      return c === undefined || (v as Record<string, unknown>)[k] === c;
    });
  });
  return Math.max(0, i);
}

/** The starting value of a schema: its default, or an object of its required members' starting values. */
export function initialValue(s: JsonSchema): Value {
  if (s.default !== undefined) return structuredClone(s.default);
  const alt = alternatives(s);
  if (alt) return alt.nullable ? null : initialValue(alt.options[0]!);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length === 1) return s.enum[0];
  if (typeOf(s) === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, p] of Object.entries(s.properties ?? {}))
      if (s.required?.includes(k) || p.default !== undefined) out[k] = initialValue(p);
    return out;
  }
  return undefined;
}

/** Drops the members left blank, so the API applies its own defaults and names what is missing. */
export function pruned(v: Value): Value {
  if (Array.isArray(v)) return v.map(pruned);
  if (v && typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = pruned(x);
      if (p !== undefined && p !== '') out[k] = p;
    }
    return out;
  }
  return v;
}

const idOf = (path: string[]) => `f-${path.join('-')}`.replace(/[^\w-]/g, '_');

export interface SchemaFormProps {
  schema: JsonSchema;
  value: Value;
  onChange: (v: Value) => void;
  /** The root of the body the form fills (`terms`, `config`): error paths are matched below it. */
  root: string;
  errors: FieldIssue[];
  /** Fields whose value is a secret: a password input, left blank to keep the stored one. */
  secrets?: string[];
  disabled?: boolean;
}

export function SchemaForm(props: SchemaFormProps) {
  const errorAt = (path: string[]) => {
    const full = [props.root, ...path].join('.');
    const rel = path.join('.');
    return props.errors.find((e) => e.path === full || e.path === `body.${full}` || e.path === rel)?.message;
  };
  return (
    <div class="schema-form">
      <Node {...props} path={[]} name={props.root} errorAt={errorAt} required />
    </div>
  );
}

interface NodeProps extends SchemaFormProps {
  path: string[];
  name: string;
  required: boolean;
  errorAt: (path: string[]) => string | undefined;
}

function Node(p: NodeProps): JSX.Element {
  const s = p.schema;
  const id = idOf([p.root, ...p.path]);
  const error = p.errorAt(p.path);
  const alt = alternatives(s);
  const title = label(p.name) + (p.required ? '' : ' (optional)');

  if (alt) {
    const present = p.value !== null && p.value !== undefined;
    const index = optionIndex(alt.options, p.value);
    const chosen = alt.options[index]!;
    return (
      <fieldset class="nested">
        <legend>{title}</legend>
        {alt.nullable && (
          <label class="check">
            <input
              type="checkbox"
              checked={present}
              disabled={p.disabled}
              onChange={(e) => p.onChange(e.currentTarget.checked ? initialValue(chosen) : null)}
            />{' '}
            Set {label(p.name)}
          </label>
        )}
        {present && alt.options.length > 1 && (
          <div class="field">
            <label for={`${id}-kind`}>Kind of {label(p.name)}</label>
            <select
              id={`${id}-kind`}
              value={String(index)}
              disabled={p.disabled}
              onChange={(e) => p.onChange(initialValue(alt.options[Number(e.currentTarget.value)]!))}
            >
              {alt.options.map((o, i) => (
                <option key={String(i)} value={String(i)}>
                  {optionName(o, i)}
                </option>
              ))}
            </select>
          </div>
        )}
        {(present || !alt.nullable) && <Node {...p} schema={chosen} name={p.name} required />}
        {error && <small class="field-error">{error}</small>}
      </fieldset>
    );
  }

  const t = typeOf(s);
  if (t === 'object' && s.properties) {
    const v = (p.value ?? {}) as Record<string, Value>;
    const inner = Object.entries(s.properties).map(([k, child]) => (
      <Node
        key={k}
        {...p}
        schema={child}
        name={k}
        path={[...p.path, k]}
        required={s.required?.includes(k) ?? false}
        value={v[k]}
        onChange={(x) => p.onChange({ ...v, [k]: x })}
      />
    ));
    if (p.path.length === 0) return <>{inner}</>;
    return (
      <fieldset class="nested">
        <legend>{title}</legend>
        {inner}
        {error && <small class="field-error">{error}</small>}
      </fieldset>
    );
  }

  const aria = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    disabled: p.disabled,
  };
  let input: JSX.Element;
  const fixed = s.const ?? (s.enum?.length === 1 ? s.enum[0] : undefined);
  if (fixed !== undefined) {
    input = <input {...aria} value={String(fixed)} readOnly />;
  } else if (s.enum) {
    input = (
      <select
        {...aria}
        value={p.value === undefined ? '' : String(p.value)}
        onChange={(e) => p.onChange(e.currentTarget.value || undefined)}
      >
        {!p.required && <option value="">—</option>}
        {s.enum.map((o) => (
          <option key={String(o)} value={String(o)}>
            {label(String(o))}
          </option>
        ))}
      </select>
    );
  } else if (t === 'boolean') {
    input = (
      <input
        {...aria}
        type="checkbox"
        checked={p.value === true}
        onChange={(e) => p.onChange(e.currentTarget.checked)}
      />
    );
  } else if (t === 'integer' || t === 'number') {
    input = (
      <input
        {...aria}
        type="number"
        inputMode={t === 'integer' ? 'numeric' : 'decimal'}
        step={t === 'integer' ? 1 : 'any'}
        value={p.value === undefined || p.value === null ? '' : String(p.value)}
        onInput={(e) => {
          const raw = e.currentTarget.value;
          p.onChange(raw === '' ? undefined : Number(raw));
        }}
      />
    );
  } else if (t === 'string' || t === undefined) {
    const secret = p.secrets?.includes(p.name);
    input = (
      <input
        {...aria}
        type={secret ? 'password' : 'text'}
        autoComplete={secret ? 'new-password' : 'off'}
        value={p.value === undefined || p.value === null ? '' : String(p.value)}
        placeholder={secret ? 'write-only: leave blank to keep' : undefined}
        onInput={(e) => p.onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
      />
    );
  } else {
    input = (
      <textarea
        {...aria}
        rows={3}
        value={p.value === undefined ? '' : JSON.stringify(p.value)}
        onChange={(e) => {
          try {
            p.onChange(e.currentTarget.value ? JSON.parse(e.currentTarget.value) : undefined);
          } catch {
            p.onChange(e.currentTarget.value);
          }
        }}
      />
    );
  }
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{title}</label>
      {input}
      {s.description && <small class="hint">{s.description}</small>}
      {error && (
        <small class="field-error" id={`${id}-error`}>
          {error}
        </small>
      )}
    </div>
  );
}
