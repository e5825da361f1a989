// A list's filters, kept in the URL's query string (a filtered list is a deep link). A choice filter offers
// exactly the values the API publishes for that query parameter in its OpenAPI document.
import { useState } from 'preact/hooks';
import { queryChoices } from '../api/published.js';
import { setQuery } from '../router.js';
import { label } from './format.js';
import { useLoad } from './load.js';
import { Field } from './parts.js';

/** A select over the values `GET path` accepts for `name`; changing it applies at once. */
export function ChoiceFilter(props: { path: string; name: string; title: string; value: string }) {
  const choices = useLoad(() => queryChoices(props.path, props.name), [props.path, props.name]);
  const id = `f-${props.name}`;
  return (
    <Field id={id} label={props.title}>
      <select
        id={id}
        value={props.value}
        onChange={(e) => setQuery({ [props.name]: e.currentTarget.value || undefined })}
      >
        <option value="">Any</option>
        {choices.data?.map((s) => (
          <option key={s} value={s}>
            {label(s)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Free-text filters (ids, names) applied together when the form is submitted. */
export function TextFilters(props: {
  fields: { name: string; title: string; value: string }[];
  children?: preact.ComponentChildren;
  label: string;
}) {
  const [form, setForm] = useState(() => Object.fromEntries(props.fields.map((f) => [f.name, f.value])));
  return (
    <form
      class="filters"
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        setQuery(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() || undefined])));
      }}
    >
      {props.children}
      {props.fields.map((f) => (
        <Field key={f.name} id={`f-${f.name}`} label={f.title}>
          <input
            id={`f-${f.name}`}
            value={form[f.name]}
            onInput={(e) => setForm({ ...form, [f.name]: e.currentTarget.value })}
          />
        </Field>
      ))}
      <button type="submit">Apply</button>
    </form>
  );
}
