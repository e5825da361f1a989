import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client.js';
import type { LoanDetails } from '../api/types.js';
import { money, toMinor } from '../ui/format.js';
import { ConfirmButton, described, ErrorNotice, Facts, Field } from '../ui/parts.js';

type LifecyclePath =
  | '/v1/loans/{id}/approve'
  | '/v1/loans/{id}/reject'
  | '/v1/loans/{id}/withdraw'
  | '/v1/loans/{id}/disburse'
  | '/v1/loans/{id}/charge-off'
  | '/v1/loans/{id}/freeze'
  | '/v1/loans/{id}/unfreeze'
  | '/v1/loans/{id}/close';

/** The lifecycle actions a product has; the API decides whether the loan's status allows one (409 if not). */
const LIFECYCLE: Record<string, [string, LifecyclePath, boolean][]> = {
  common: [
    ['Approve', '/v1/loans/{id}/approve', false],
    ['Reject', '/v1/loans/{id}/reject', true],
    ['Withdraw', '/v1/loans/{id}/withdraw', true],
    ['Disburse', '/v1/loans/{id}/disburse', false],
    ['Charge off', '/v1/loans/{id}/charge-off', true],
    ['Close', '/v1/loans/{id}/close', true],
  ],
  line_of_credit: [
    ['Freeze', '/v1/loans/{id}/freeze', false],
    ['Unfreeze', '/v1/loans/{id}/unfreeze', false],
  ],
};

/** A write sent with the If-Match its guard gives it. */
export type Guarded = (write: (headers: { 'if-match': string }) => Promise<unknown>) => Promise<void>;

/**
 * Every write carries `If-Match` with the version of the loan the page shows (the loan's ETag is its version): the
 * API applies it only to that version, in the write's own guard, and answers 412 if someone else changed the loan
 * meanwhile. Then nothing was written; the page reloads and says so, and the user decides again on what is true.
 */
export function useGuardedWrite(loan: LoanDetails, reload: () => void) {
  const [stale, setStale] = useState(false);
  const guarded: Guarded = async (write) => {
    try {
      await write({ 'if-match': `"${loan.version}"` });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 412)) throw e;
      setStale(true);
      reload();
      throw new ApiError(
        412,
        e.code,
        'This loan changed since the page loaded; it has been reloaded. Review it and try again.',
      );
    }
    setStale(false);
    reload();
  };
  return { stale, guarded };
}

export function LoanActions(props: { loan: LoanDetails; guarded: Guarded }) {
  const { loan, guarded } = props;
  const actions = [...LIFECYCLE.common!, ...(LIFECYCLE[loan.product] ?? [])];
  return (
    <section class="actions" aria-label="Loan actions">
      {actions.map(([name, path, danger]) => (
        <ConfirmButton
          key={path}
          label={name}
          danger={danger}
          question={`${name} loan ${loan.external_ref ?? loan.id.slice(0, 8)} (${money(loan.amount, loan.currency)})?`}
          onConfirm={() => guarded((headers) => api.post(path, { path: { id: loan.id }, headers }))}
        />
      ))}
      <PaymentForm loan={loan} guarded={guarded} />
      <PayoffQuote loan={loan} />
    </section>
  );
}

/**
 * A payment: the amount in the loan's currency, sent in minor units, with an Idempotency-Key made when the form
 * opens, so trying again after a network failure cannot record the payment twice.
 */
function PaymentForm(props: { loan: LoanDetails; guarded: Guarded }) {
  const { loan } = props;
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [effective, setEffective] = useState(loan.business_date);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Record a payment
      </button>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    const minor = toMinor(amount, loan.currency);
    if (minor === undefined) {
      setError(
        new ApiError(400, 'invalid', 'Check the amount.', [
          { path: 'amount', message: `an amount in ${loan.currency}, like 123.45` },
        ]),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.guarded((headers) =>
        api.post('/v1/loans/{id}/payments', {
          path: { id: loan.id },
          body: { amount: minor, effective_date: effective },
          headers: { ...headers, 'idempotency-key': key },
        }),
      );
      setOpen(false);
      setAmount('');
      setKey(crypto.randomUUID());
    } catch (x) {
      setError(x as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="pay-title">
      <h3 id="pay-title">Record a payment</h3>
      <Field id="pay-amount" label={`Amount (${loan.currency})`} error={error?.field('amount')}>
        <input
          {...described('pay-amount', error?.field('amount'))}
          inputMode="decimal"
          value={amount}
          onInput={(e) => setAmount(e.currentTarget.value)}
        />
      </Field>
      <Field id="pay-date" label="Effective date" error={error?.field('effective_date')}>
        <input
          {...described('pay-date', error?.field('effective_date'))}
          type="date"
          value={effective}
          onInput={(e) => setEffective(e.currentTarget.value)}
        />
      </Field>
      {error && !error.field('amount') && !error.field('effective_date') && (
        <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Recording…' : 'Record payment'}
        </button>
        <button type="button" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function PayoffQuote(props: { loan: LoanDetails }) {
  const [quote, setQuote] = useState<Record<string, unknown>>();
  const [error, setError] = useState<ApiError>();
  const ask = async () => {
    setError(undefined);
    try {
      setQuote(await api.post('/v1/loans/{id}/payoff-quotes', { path: { id: props.loan.id } }));
    } catch (x) {
      setError(x as ApiError);
    }
  };
  return (
    <div>
      <button type="button" onClick={ask}>
        Payoff quote
      </button>
      {error && <ErrorNotice error={error} retry={ask} />}
      {quote && (
        <div class="card" aria-live="polite">
          <h3>Payoff quote</h3>
          <Facts
            items={Object.entries(quote)
              .filter(([, v]) => typeof v !== 'object')
              .map(([k, v]) => [
                k.replace(/_/g, ' '),
                typeof v === 'number' && !k.includes('days') ? money(v, props.loan.currency) : String(v),
              ])}
          />
        </div>
      )}
    </div>
  );
}
