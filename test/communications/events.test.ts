import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvents } from '../../src/kernel/events.js';
import { installmentTerms } from '../lending/fixtures.js';
import { lineProgram } from '../support/lending/revolving.js';
import {
  type CommsHarness,
  type CommsTenant,
  commsTenant,
  type MessageJson,
  startCommsHarness,
  waitForMessage,
} from './harness.js';

// Lending's domain events become messages (issue 12, item 7): the loan's write (or the close-of-business day)
// publishes an event in its own statement; the relay hands it to communications, which renders the built-in
// template and queues it through the program's provider, on the channel the customer's preferences allow. The
// harness runs the job queue, the dispatch workers and the relay; the simulators deliver.
let h: CommsHarness;
let tenant: CommsTenant;
type Call = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
) => ReturnType<CommsHarness['t']['call']>;
let call: Call;

beforeAll(async () => {
  h = await startCommsHarness();
  tenant = await commsTenant(h, 'events');
  call = (method, url, body) => h.t.call(method, url, { key: tenant.key, body });
  expect((await call('PUT', '/v1/business-date', { business_date: '2024-01-15' })).statusCode).toBe(200);
});
afterAll(() => h.close());

async function created(r: { statusCode: number; body: string; json(): unknown }) {
  if (r.statusCode !== 201) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as Record<string, unknown> & { id: string };
}

/**
 * Lists a loan's messages once every published event was handled: relayed here, or by the relay the workers run
 * on their own every second (which may hold an event this drain then does not see).
 */
async function messagesOf(loanId: string, key?: string): Promise<MessageJson[]> {
  key ??= tenant.key;
  await h.t.ctx.platform.events.drain();
  await expect
    .poll(
      async () =>
        (await h.t.ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM domain_events'))
          .rows[0]!.n,
      { timeout: 15_000, interval: 50 },
    )
    .toBe(0);
  const r = await h.t.call('GET', `/v1/messages?loan_id=${loanId}&limit=100`, { key });
  return (r.json() as { data: MessageJson[] }).data;
}

type EventMessage = MessageJson & { content: Record<string, string>; event_key: string | null };
const byTemplate = (ms: MessageJson[], template: string) =>
  ms.filter((m) => m.template === template) as EventMessage[];

async function program(terms: Record<string, unknown>, type = 'installment_loan', c: Call = call) {
  return (await created(await c('POST', '/v1/programs', { name: type, program_type: type, terms }))).id;
}

async function installmentLoan(programId: string, customerId: string, c: Call = call): Promise<string> {
  const loan = await created(
    await c('POST', '/v1/loans', {
      program_id: programId,
      customer_id: customerId,
      principal: 1_200_000,
      disbursement_date: '2024-01-15',
    }),
  );
  await created(await c('POST', `/v1/loans/${loan.id}/approve`, { effective_date: '2024-01-15' }));
  await created(await c('POST', `/v1/loans/${loan.id}/disburse`));
  return loan.id;
}

/** Closes business days through `date` and waits until the close of business finished them. */
async function closeThrough(date: string, c: Call = call): Promise<void> {
  const r = await c('POST', '/v1/close-of-business', { date });
  if (r.statusCode !== 200 && r.statusCode !== 202) throw new Error(`${r.statusCode} ${r.body}`);
  const until = Date.now() + 30_000;
  for (;;) {
    const runs = (await c('GET', `/v1/close-of-business?to=${date}&limit=1`)).json();
    if (runs.business_date > date && runs.data.every((d: { status: string }) => d.status === 'completed'))
      return;
    if (Date.now() > until) throw new Error(`close of business did not finish: ${JSON.stringify(runs)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('loan events', () => {
  let programId: string;
  let loanId: string;

  beforeAll(async () => {
    programId = await program(installmentTerms({ late_fee: { type: 'flat', amount: 2500, grace_days: 0 } }));
    loanId = await installmentLoan(programId, tenant.customerId);
  });

  it('a disbursement sends the welcome e-mail through the program’s provider, which SendGrid delivers', async () => {
    const [welcome] = byTemplate(await messagesOf(loanId), 'welcome');
    expect(welcome).toMatchObject({
      channel: 'email',
      customer_id: tenant.customerId,
      provider_key: 'sendgrid',
      recipient: { email: 'ada@example.com' },
      event_key: expect.stringMatching(/:welcome$/),
    });
    expect(welcome!.content.text).toContain('$12,000.00');
    expect(welcome!.content.text).toContain('February 15, 2024');
    const m = await waitForMessage(h, tenant.key, welcome!.id, (x) => x.status === 'delivered');
    expect(m.events.map((e) => `${e.status}/${e.source}`)).toEqual(
      expect.arrayContaining(['queued/event', 'sent/dispatch', 'delivered/webhook']),
    );
  });

  it('a payment sends a receipt, once however often its event is delivered', async () => {
    const paid = await created(await call('POST', `/v1/loans/${loanId}/payments`, { amount: 30_000 }));
    const receipts = byTemplate(await messagesOf(loanId), 'payment_receipt');
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.content.subject).toContain('$300.00');
    // The event delivered again (a relay that crashed before deleting it): the same message, nothing new.
    await publishEvents(h.t.ctx.database.db, [
      {
        tenantId: tenant.id,
        id: receipts[0]!.event_key!.split(':')[0]!,
        type: 'lending.payment_received',
        payload: {
          loan_id: loanId,
          event_id: paid.id,
          effective_date: '2024-01-15',
          amount: 30_000,
          status: 'active',
          next_due_date: '2024-02-15',
          details: {},
        },
      },
    ]);
    expect(byTemplate(await messagesOf(loanId), 'payment_receipt')).toHaveLength(1);
  });

  it('a reversed payment sends the returned-payment notice with the payment’s amount', async () => {
    const [payment] = (await call('GET', `/v1/loans/${loanId}`))
      .json()
      .transactions.filter((e: { type: string }) => e.type === 'payment');
    await created(await call('POST', `/v1/loans/${loanId}/payment-reversals`, { payment_id: payment.id }));
    const [returned] = byTemplate(await messagesOf(loanId), 'payment_returned');
    expect(returned!.channel).toBe('email');
    expect(returned!.content.text).toContain('$300.00');
  });

  it('close of business reminds N days before the due date (the program’s N) and sends the late notice', async () => {
    // Default 5 days; this program reminds 3 days before.
    const set = await call('PUT', `/v1/communications/programs/${programId}/settings`, {
      payment_reminder_days: 3,
    });
    expect(set.statusCode).toBe(200);
    await closeThrough('2024-02-10'); // business date 2024-02-11: the due date 2024-02-15 is 4 days away
    expect(byTemplate(await messagesOf(loanId), 'payment_reminder')).toHaveLength(0);
    await closeThrough('2024-02-11'); // business date 2024-02-12: 3 days
    const [reminder] = byTemplate(await messagesOf(loanId), 'payment_reminder');
    expect(reminder!.content.text).toContain('February 15, 2024');
    // The installment's full amount: the $300.00 paid was returned.
    expect(reminder!.content.text).toContain('Your payment of $1,066.19');
    expect(reminder!.content.text).toContain('in 3 days');
    // No grace days: unpaid on 2024-02-15, late when 2024-02-16 closes.
    await closeThrough('2024-02-15');
    expect(byTemplate(await messagesOf(loanId), 'late_notice')).toHaveLength(0);
    await closeThrough('2024-02-16');
    const [late] = byTemplate(await messagesOf(loanId), 'late_notice');
    expect(late).toMatchObject({ channel: 'email', status: expect.any(String) });
    expect(late!.content.text).toContain('February 15, 2024');
    // The closed day's event again: nothing is sent twice.
    const before = (await messagesOf(loanId)).length;
    const dayEvent = late!.event_key!.split(':')[0]!;
    await publishEvents(h.t.ctx.database.db, [
      {
        tenantId: tenant.id,
        id: dayEvent,
        type: 'lending.day_closed',
        payload: { closed: '2024-02-16', business_date: '2024-02-17' },
      },
    ]);
    expect(await messagesOf(loanId)).toHaveLength(before);
  });

  it('a payoff sends the payoff letter, by mail for a customer who turned e-mail off', async () => {
    const customer = await created(
      await call('POST', '/v1/customers', {
        legal_name: 'Grace Mailer',
        email: 'grace@example.com',
        address: {
          lines: ['1 Infinite Loop'],
          city: 'Cupertino',
          state: 'CA',
          postal_code: '95014',
          country: 'US',
        },
      }),
    );
    const prefs = await call('PUT', `/v1/customers/${customer.id}/contact-preferences`, { email: false });
    expect(prefs.statusCode).toBe(200);
    const other = await installmentLoan(programId, customer.id);
    await created(await call('POST', `/v1/loans/${other}/payments`, { payoff: true }));
    const ms = await messagesOf(other);
    const [payoff] = byTemplate(ms, 'payoff_letter');
    // Its status depends on how far the dispatcher got; that it reaches the post is checked below.
    expect(payoff).toMatchObject({ channel: 'letter', provider_key: 'lob' });
    expect(payoff!.document_id).toEqual(expect.any(String));
    expect(byTemplate(ms, 'payment_receipt')).toHaveLength(0);
    await waitForMessage(h, tenant.key, payoff!.id, (x) => x.status === 'delivered' || x.status === 'sent');
  });
});

describe('line-of-credit statements (item 2)', () => {
  it('each statement close of business cuts goes out: by e-mail, or as a PDF letter to a customer who prefers mail', async () => {
    // A tenant of its own, whatever the other tests did to the business date.
    const own = await commsTenant(h, 'statements');
    const call: Call = (method, url, body) => h.t.call(method, url, { key: own.key, body });
    expect((await call('PUT', '/v1/business-date', { business_date: '2024-02-17' })).statusCode).toBe(200);
    const programId = await program(
      { ...lineProgram, cycle_day: { min: 1, max: 31, default: 20 } },
      'line_of_credit',
      call,
    );
    const mailer = await created(
      await call('POST', '/v1/customers', {
        legal_name: 'Lin Mailer',
        email: 'lin@example.com',
        address: { lines: ['2 Elm St'], city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' },
      }),
    );
    await call('PUT', `/v1/customers/${mailer.id}/contact-preferences`, { email: false });
    const open = async (customerId: string) => {
      const line = await created(
        await call('POST', '/v1/loans', {
          program_id: programId,
          customer_id: customerId,
          credit_limit: 500_000,
          open_date: '2024-02-17',
        }),
      );
      await created(await call('POST', `/v1/loans/${line.id}/approve`));
      await created(await call('POST', `/v1/loans/${line.id}/disburse`));
      await created(await call('POST', `/v1/loans/${line.id}/draws`, { amount: 100_000 }));
      return line.id;
    };
    const emailed = await open(own.customerId);
    const mailed = await open(mailer.id);
    await closeThrough('2024-02-20', call);
    const [statement] = byTemplate(await messagesOf(emailed, own.key), 'periodic_statement');
    expect(statement).toMatchObject({ channel: 'email', provider_key: 'sendgrid' });
    // The statement as servicing cut it (GET /v1/loans/{id}), with the cycle's draw among its transactions.
    const [stored] = (await call('GET', `/v1/loans/${emailed}`)).json().statements;
    expect(stored.period_end).toBe('2024-02-20');
    const html = statement!.content.html!;
    expect(html).toContain('February 20, 2024');
    expect(html).toMatch(/<td>February 17, 2024<\/td><td>Draw<\/td><td align="right">\$1,000\.00<\/td>/);
    expect(html).toContain(
      `Minimum payment due</strong></td><td align="right"><strong>$${(stored.minimum_payment / 100).toFixed(2)}`,
    );
    const [letter] = byTemplate(await messagesOf(mailed, own.key), 'periodic_statement');
    expect(letter).toMatchObject({ channel: 'letter', provider_key: 'lob' });
    const doc = await call('GET', `/v1/documents/${letter!.document_id}`);
    expect(doc.json()).toMatchObject({ content_type: 'application/pdf', status: 'stored' });
    // The next cycle's statement is another message; the first is not sent again.
    await closeThrough('2024-03-20', call);
    expect(byTemplate(await messagesOf(emailed, own.key), 'periodic_statement')).toHaveLength(2);
  });
});

describe('no provider', () => {
  it('leaves the message undeliverable with the reason, and the loan goes on', async () => {
    const bare = await h.t.tenant('no-providers');
    const c: Call = (method, url, body) => h.t.call(method, url, { key: bare.key, body });
    expect((await c('PUT', '/v1/business-date', { business_date: '2024-01-15' })).statusCode).toBe(200);
    await c('PUT', '/v1/communications/settings', {
      lender: { name: 'Bare', address: '1 Main St', phone: '+1 512 555 0100', email: 'help@bare.example' },
      rate_per_second: 10,
    });
    const customer = await created(
      await c('POST', '/v1/customers', { legal_name: 'Ada', email: 'a@example.com' }),
    );
    const loanId = await installmentLoan(
      await program(installmentTerms(), 'installment_loan', c),
      customer.id,
      c,
    );
    const [welcome] = byTemplate(await messagesOf(loanId, bare.key), 'welcome');
    expect(welcome).toMatchObject({
      status: 'undeliverable',
      status_reason: 'no email provider is configured',
    });
  });
});
