import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client.js';
import { navigate } from '../router.js';

export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {props.title}
        </h1>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export function Loading(props: { what?: string }) {
  return (
    <output class="muted" aria-live="polite">
      Loading {props.what ?? ''}…
    </output>
  );
}

/** A record's page before its record is here: loading, or the failure with a retry. */
export function Pending(props: {
  title: string;
  what: string;
  error: ApiError | undefined;
  retry: () => void;
}) {
  return (
    <Page title={props.title}>
      {props.error ? <ErrorNotice error={props.error} retry={props.retry} /> : <Loading what={props.what} />}
    </Page>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

/** An error where it happened; a retry when trying again could help (network, 5xx), keeping what was typed. */
export function ErrorNotice(props: { error: ApiError; retry?: () => void }) {
  return (
    <div class="error" role="alert">
      <p>{props.error.message}</p>
      {props.error.fields.length > 0 && (
        <ul>
          {props.error.fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {props.retry && props.error.retryable && (
        <button type="button" onClick={props.retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A link inside the console: the router handles it, the browser handles new tabs. */
export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { href, ...rest } = props;
  const full = `/console${href}`;
  return (
    <a
      {...rest}
      href={full}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(href);
      }}
    />
  );
}

export function Field(props: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </small>
      )}
      {props.error && (
        <small class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

/** Aria attributes tying an input to its hint and error. */
export const described = (id: string, error?: string, hint?: string) => ({
  id,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined,
});

/** A write that asks first: a dialog naming what will happen, then the call; errors stay in the dialog. */
export function ConfirmButton(props: {
  label: string;
  question: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  /** What the dialog asks for besides yes or no (an amount); given the refusal, to show it at its field. */
  children?: ComponentChildren | ((error: ApiError | undefined) => ComponentChildren);
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The dialog takes the focus when it opens (Escape closes it), so a keyboard user lands on its decision.
  useEffect(() => {
    if (open) confirmRef.current?.focus();
  }, [open]);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      setOpen(false);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class={props.danger ? 'danger' : ''} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open && (
        <div class="modal-backdrop">
          <div
            class="modal"
            role="dialog"
            aria-modal="true"
            aria-labelledby="confirm-title"
            onKeyDown={(e) => {
              if (e.key === 'Escape' && !busy) setOpen(false);
            }}
          >
            <h2 id="confirm-title">{props.label}</h2>
            <p>{props.question}</p>
            {typeof props.children === 'function' ? props.children(error) : props.children}
            {error && <ErrorNotice error={error} />}
            <div class="row">
              <button
                type="button"
                class={props.danger ? 'danger' : 'primary'}
                disabled={busy}
                onClick={run}
                ref={confirmRef}
              >
                {busy ? 'Working…' : `Yes, ${props.label.toLowerCase()}`}
              </button>
              <button type="button" onClick={() => setOpen(false)} disabled={busy}>
                Cancel
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}

export function Badge(props: { value: string }) {
  return (
    <span class={`badge badge-${props.value.replace(/[^a-z_]/g, '')}`}>{props.value.replace(/_/g, ' ')}</span>
  );
}

/** Rows of label/value pairs. */
export function Facts(props: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {props.items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
