import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { session } from '../api/session.js';
import type { LoanDetails, PaymentMethod } from '../api/types.js';
import { useAction } from '../ui/action.js';
import { requiredMinor } from '../ui/amount.js';
import { label, timestamp } from '../ui/format.js';
import { useIdempotencyKey } from '../ui/idempotency.js';
import { ListView } from '../ui/list.js';
import { useLoad } from '../ui/load.js';
import { described, ErrorNotice, Field } from '../ui/parts.js';
import { Table } from '../ui/table.js';
import { paymentColumns } from './payments.js';

const methodName = (m: PaymentMethod) =>
  `${label(m.type)} ${m.brand ?? m.bank_name ?? ''} ${m.last4 ? `•••• ${m.last4}` : ''}`.trim();

/**
 * A loan's collections: the payments taken for it at the processor, a collection with a stored method (what is
 * due, the payoff, or an amount), and its autopay setting.
 */
export function LoanCollections(props: { loan: LoanDetails; changed: () => void }) {
  const { loan } = props;
  const [tick, setTick] = useState(0);
  const payments = useLoad(
    (signal) => api.get('/v1/payments', { query: { loan_id: loan.id, limit: 50 }, signal }),
    [loan.id, tick],
  );
  const methods = useLoad(
    (signal) =>
      loan.customer_id
        ? api.get('/v1/payment-methods', { query: { customer_id: loan.customer_id, limit: 100 }, signal })
        : Promise.resolve({ data: [], next_before: null }),
    [loan.customer_id],
  );
  const active = methods.data?.data.filter((m) => m.status === 'active') ?? [];
  return (
    <section aria-labelledby="collections-title">
      <h2 id="collections-title">Collections</h2>
      <ListView loaded={payments} what="collections" empty="No payments collected for this loan.">
        {(rows) => <Table caption="Collections" rows={rows} rowKey={(r) => r.id} columns={paymentColumns} />}
      </ListView>
      {methods.error && <ErrorNotice error={methods.error} retry={methods.reload} />}
      <div class="grid">
        {session.can('operator') && active.length > 0 && (
          <CollectForm
            loan={loan}
            methods={active}
            onDone={() => {
              setTick(tick + 1);
              props.changed();
            }}
          />
        )}
        <AutopaySetting loan={loan} methods={active} />
      </div>
      {methods.data && active.length === 0 && (
        <p class="muted">The borrower has no stored payment method, so nothing can be collected here.</p>
      )}
    </section>
  );
}

function MethodSelect(props: {
  id: string;
  methods: PaymentMethod[];
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  return (
    <Field id={props.id} label="Payment method" error={props.error}>
      <select
        {...described(props.id, props.error)}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.methods.map((m) => (
          <option key={m.id} value={m.id}>
            {methodName(m)}
          </option>
        ))}
      </select>
    </Field>
  );
}

function CollectForm(props: { loan: LoanDetails; methods: PaymentMethod[]; onDone: () => void }) {
  const { loan } = props;
  const [method, setMethod] = useState(props.methods[0]!.id);
  const [what, setWhat] = useState<'due' | 'payoff' | 'amount'>('due');
  const [amount, setAmount] = useState('');
  const idem = useIdempotencyKey();
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      try {
        const value = what === 'amount' ? requiredMinor(amount, loan.currency) : what;
        await api.post('/v1/loans/{id}/collections', {
          path: { id: loan.id },
          body: { amount: value, payment_method_id: method },
          headers: { 'idempotency-key': idem.get() },
        });
      } catch (x) {
        idem.settled(x);
        throw x;
      }
      idem.settled();
      setAmount('');
      props.onDone();
    });
  };
  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="collect-title">
      <h3 id="collect-title">Collect a payment</h3>
      <MethodSelect
        id="collect-method"
        methods={props.methods}
        value={method}
        onChange={setMethod}
        error={error?.field('payment_method_id')}
      />
      <fieldset>
        <legend>Amount</legend>
        {(['due', 'payoff', 'amount'] as const).map((w) => (
          <label key={w} class="check">
            <input type="radio" name="collect-what" checked={what === w} onChange={() => setWhat(w)} />{' '}
            {w === 'due' ? 'Everything due' : w === 'payoff' ? 'The payoff' : 'An amount'}
          </label>
        ))}
      </fieldset>
      {what === 'amount' && (
        <Field id="collect-amount" label={`Amount (${loan.currency})`} error={error?.field('amount')}>
          <input
            {...described('collect-amount', error?.field('amount'))}
            inputMode="decimal"
            value={amount}
            onInput={(e) => setAmount(e.currentTarget.value)}
          />
        </Field>
      )}
      {error && !error.field('amount') && !error.field('payment_method_id') && (
        <ErrorNotice error={error} retry={() => void submit(new Event('submit'))} />
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Collecting…' : 'Collect'}
      </button>
    </form>
  );
}

function AutopaySetting(props: { loan: LoanDetails; methods: PaymentMethod[] }) {
  const loaded = useLoad(
    (signal) => api.get('/v1/loans/{id}/autopay', { path: { id: props.loan.id }, signal }),
    [props.loan.id],
  );
  const current = loaded.data?.autopay;
  const [method, setMethod] = useState('');
  const { busy, error, run } = useAction();
  const chosen = method || current?.payment_method_id || props.methods[0]?.id || '';
  const save = (enabled: boolean) =>
    run(async () => {
      await api.put('/v1/loans/{id}/autopay', {
        path: { id: props.loan.id },
        body: { payment_method_id: chosen, enabled },
      });
      loaded.reload();
    });
  const using = props.methods.find((m) => m.id === current?.payment_method_id);
  return (
    <section class="card" aria-labelledby="autopay-title">
      <h3 id="autopay-title">Autopay</h3>
      {loaded.error && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <output aria-live="polite">
        {!loaded.data
          ? 'Loading…'
          : current?.enabled
            ? `On: ${using ? methodName(using) : 'a stored method'} pays each installment on its due date (since ${timestamp(current.updated_at)}).`
            : 'Off.'}
      </output>
      {session.can('operator') && props.methods.length > 0 && loaded.data && (
        <div class="form">
          <MethodSelect
            id="autopay-method"
            methods={props.methods}
            value={chosen}
            onChange={setMethod}
            error={error?.field('payment_method_id')}
          />
          {error && !error.field('payment_method_id') && <ErrorNotice error={error} />}
          <div class="row">
            <button type="button" class="primary" disabled={busy} onClick={() => void save(true)}>
              {current?.enabled ? 'Save autopay' : 'Turn autopay on'}
            </button>
            {current?.enabled && (
              <button type="button" disabled={busy} onClick={() => void save(false)}>
                Turn autopay off
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
