import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { DomainEvents, publishEvents } from '../../src/kernel/events.js';
import { uuidv7 } from '../../src/kernel/ids.js';
import { createLogger } from '../../src/kernel/logging.js';
import { EventNotifier } from '../../src/modules/communications/events/notifier.js';
import type { MessageService } from '../../src/modules/communications/index.js';
import type { LoanNotices } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms } from '../lending/fixtures.js';

// A closed day's notices a page at a time (issue 12): the reminders of a tenant's loans are read and sent in pages
// of `pageSize` loans, each page one relay delivery that publishes the next, and a crash in the middle of a page
// sends each loan's reminder once all the same. The app runs no workers: this test's own relay, with a notifier of
// two loans a page, hands out the events.
let t: TestApp;
let tenantId: string;
const loans: string[] = [];
beforeAll(async () => {
  t = await startTestApp();
  const tenant = await t.tenant('day-notices');
  tenantId = tenant.id;
  const call = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
    const r = await t.call(method, url, { key: tenant.key, body });
    if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r.json() as { id: string };
  };
  await call('PUT', '/v1/business-date', { business_date: '2024-01-15' });
  await call('PUT', '/v1/communications/settings', {
    lender: { name: 'Plinth', address: '1 Main St', phone: '+15125550100', email: 'help@plinth.example' },
    rate_per_second: 100,
  });
  const program = await call('POST', '/v1/programs', {
    name: 'installments',
    program_type: 'installment_loan',
    terms: installmentTerms(),
  });
  const customer = await call('POST', '/v1/customers', {
    legal_name: 'Ada Borrower',
    email: 'ada@example.com',
  });
  for (let i = 0; i < 5; i++) {
    const loan = await call('POST', '/v1/loans', {
      program_id: program.id,
      customer_id: customer.id,
      principal: 1_200_000 + i,
      disbursement_date: '2024-01-15',
    });
    await call('POST', `/v1/loans/${loan.id}/approve`, { effective_date: '2024-01-15' });
    await call('POST', `/v1/loans/${loan.id}/disburse`, undefined);
    loans.push(loan.id);
  }
  // The disbursements' welcome messages, through the module's own relay, before the test's relay starts.
  await t.ctx.platform.events.drain();
});
afterAll(() => t.close());

describe('a closed day’s notices', () => {
  it('go out a page at a time, once per loan and day, across a crash mid-page and a day relayed again', async () => {
    const c = t.ctx.communications;
    const pages: number[] = [];
    const notices = Object.create(t.ctx.lending.notices) as LoanNotices;
    notices.paymentsDue = async (...args) => {
      const found = await t.ctx.lending.notices.paymentsDue(...args);
      pages.push(found.length);
      return found;
    };
    let made = 0;
    const messages = Object.create(c.messages) as MessageService;
    messages.create = async (...args) => {
      // The process stops in the middle of the second page: its first loan's reminder not yet made.
      if (args[1].template === 'payment_reminder' && ++made === 3) throw new Error('the process stopped');
      return c.messages.create(...args);
    };
    const events = new DomainEvents({ raw: t.ctx.database.raw, logger: createLogger('warn') });
    new EventNotifier({
      db: t.ctx.database.db,
      messages,
      preferences: c.preferences,
      settings: c.settings,
      customers: t.ctx.tenancy.customers,
      loans: t.ctx.lending.loans,
      notices,
      logger: createLogger('warn'),
      pageSize: 2,
    }).subscribe(events);

    // Closing 2024-02-09 opens 2024-02-10: the installments due 2024-02-15 are 5 days away (the default).
    const day = {
      tenantId,
      id: uuidv7(),
      type: 'lending.day_closed',
      payload: { closed: '2024-02-09', business_date: '2024-02-10' },
    };
    await publishEvents(t.ctx.database.db, [day]);
    await events.drain();
    // The failed page waits for its retry (a backoff); make it due, as time would.
    const [failed] = await rows<{ n: number; last_error: string }>(
      t.ctx.database.db,
      sql`SELECT count(*)::int AS n, max(last_error) AS last_error FROM domain_events WHERE tenant_id = ${tenantId}`,
    );
    expect(failed).toEqual({ n: 1, last_error: expect.stringContaining('the process stopped') });
    await t.ctx.database.db.execute(
      sql`UPDATE domain_events SET claimed_until = NULL WHERE tenant_id = ${tenantId}`,
    );
    await events.drain();

    const reminders = async () =>
      rows<{ loan_id: string; event_key: string }>(
        t.ctx.database.db,
        sql`SELECT loan_id, event_key FROM messages
             WHERE tenant_id = ${tenantId} AND template_key = 'payment_reminder' ORDER BY loan_id`,
      );
    const sent = await reminders();
    expect(sent.map((m) => m.loan_id)).toEqual([...loans].sort());
    for (const m of sent) expect(m.event_key).toBe(`${day.id}:payment_reminder:${m.loan_id}:2024-02-15`);
    // Pages of two: 2, then the crashed one, then 2 again and the last loan; never the whole tenant at once.
    expect(Math.max(...pages)).toBe(2);
    expect(pages).toEqual([2, 2, 2, 1]);

    // The whole day relayed again (a relay that lost its lease, a replay): its pages run again and make nothing.
    pages.length = 0;
    await publishEvents(t.ctx.database.db, [day]);
    await events.drain();
    expect(await reminders()).toEqual(sent);
    expect(pages).toEqual([2, 2, 1]);
    const [left] = await rows<{ n: number }>(
      t.ctx.database.db,
      sql`SELECT count(*)::int AS n FROM domain_events WHERE tenant_id = ${tenantId}`,
    );
    expect(left!.n).toBe(0);
  });
});
