import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CalendarDate, dateInZone } from '../../src/kernel/dates.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { lineProgramTerms, lineTenant, openLine } from '../lending/line-of-credit-support.js';
import { mismatches } from '../lending/product-compare.js';
import { cardProgram, message, settled } from './fixture.js';

// End to end, with no test doubles: card spend on an expense line owned by a lending line of credit is funded by
// that revolving loan (a draw), a refund credits it back, and both appear on the loan through the lending API.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('a clearing draws on the borrower’s line of credit and a refund credits it back', async () => {
  const today = dateInZone(new Date(), 'UTC');
  const { tenant, call, programId } = await lineTenant(
    t,
    today,
    lineProgramTerms({ cycle_day: { min: 1, max: 31, default: 1 } }),
  );
  const loanId = await openLine(call, programId, { open_date: today });
  const p = await cardProgram(t, { tenant });
  const card = await p.cardholder({ all: 100_000 }, { ownerType: 'loan', ownerRef: loanId, currency: 'USD' });

  const auth = message({ card_id: card.cardId, amount: 4_000, currency: 'USD' });
  expect((await p.send(auth)).body).toMatchObject({ decision: 'approved' });
  await p.send({ ...auth, type: 'clearing', id: `${auth.id}-clr`, amount: 3_500 });
  await p.send({ ...auth, type: 'refund', id: `${auth.id}-ref`, amount: 500 });
  await settled(t);
  expect(await t.ctx.cardAuthorizations.funding.processDue()).toEqual({ done: 2, failed: 0, retrying: 0 });
  // delivered once: a second run finds nothing due
  expect(await t.ctx.cardAuthorizations.funding.processDue()).toEqual({ done: 0, failed: 0, retrying: 0 });

  const loan = (await call('GET', `/v1/loans/${loanId}`)).json();
  const card_events = loan.transactions.filter((e: { source?: string }) => e.source);
  expect(card_events).toMatchObject([
    { type: 'draw', amount: 3_500, source: 'card' },
    { type: 'payment', amount: 500, source: 'card_refund' },
  ]);
  // the line owes the net spend, and its store equals the replay
  expect(loan.line).toMatchObject({ principal: 3_000, balance: 3_000, available_credit: 497_000 });
  expect(
    await mismatches(t.ctx.database.db, tenant.id, 'line_of_credit', () => ({
      asOf: today as CalendarDate,
      closeOfBusiness: false,
    })),
  ).toEqual([]);
});
