import { z } from 'zod';
import { anyObject, calendarDate, instant, minor } from '../../kernel/responses.js';
import { decisionOut } from '../compliance/index.js';

/**
 * The response schemas of lending's routes (see kernel/responses.ts). A loan's terms, disclosure and views are the
 * product's own (an installment loan, a lease, a line of credit): those parts are open objects, named here by the
 * fields every product answers.
 */

export const programOut = z.object({
  id: z.string(),
  name: z.string(),
  program_type: z.string(),
  currency: z.string(),
  terms: anyObject.describe('the program type’s terms (GET /v1/program-types has each type’s schema)'),
  status: z.string(),
  description: z.string().nullable(),
  version: z.number().int().describe('counts the program’s changes; its ETag, for If-Match'),
  created_at: instant,
  updated_at: instant,
});

export const loanOut = z.object({
  id: z.string(),
  program_id: z.string(),
  product: z.string(),
  customer_id: z.string().nullable(),
  external_ref: z.string().nullable(),
  currency: z.string(),
  status: z.string(),
  amount: minor,
  start_date: calendarDate,
  maturity_date: calendarDate.nullable(),
  terms: anyObject,
  disclosure: anyObject.nullable(),
  originator_disclosure: z
    .object({ apr: z.string(), finance_charge: minor, amount_financed: minor.optional() })
    .nullable()
    .describe('the Truth in Lending figures the originator disclosed, when the loan came with them'),
  days_past_due: z.number().int(),
  delinquency_bucket: z.string(),
  credit_balance: minor,
  next_due_date: calendarDate.nullable(),
  version: z.number().int().describe('counts the loan’s changes; its ETag, for If-Match on actions'),
  created_at: instant,
  updated_at: instant,
});

/** A loan in a list read with `view=summary`: what a list shows, without the terms and the disclosures. */
export const loanSummaryOut = loanOut.omit({ terms: true, disclosure: true, originator_disclosure: true });

const amounts = z.object({ principal: minor, interest: minor, fees: minor, penalties: minor });

/** A row of a serviced loan's schedule; a lease adds its own names (rent_charge, depreciation, tax). */
export const installmentOut = z.looseObject({
  number: z.number().int(),
  period_start: calendarDate,
  due_date: calendarDate,
  principal: minor,
  interest: minor,
  fees: minor,
  total: minor,
  balance: minor.nullable(),
  due: amounts,
  paid: amounts,
  waived: amounts,
  outstanding: amounts,
  interest_recognised: minor,
  late_fee_assessed: z.boolean(),
});

/** A loan event; the product adds what the event did (`effects`: allocations, balances, the status it left). */
export const eventOut = z.looseObject({
  id: z.string(),
  sequence: z.number().int(),
  type: z.string(),
  effective_date: calendarDate,
  amount: minor.optional(),
  payment_id: z.string().optional(),
  business_date: calendarDate.optional(),
  recorded_at: instant.optional(),
});

export const journalEntryOut = z.object({
  entry_date: calendarDate,
  kind: z.string(),
  event_id: z.string().nullable(),
  lines: z.array(z.object({ account: z.string(), side: z.enum(['debit', 'credit']), amount: minor })),
});

export const loanDetailsOut = loanOut
  .extend({
    business_date: calendarDate,
    annual_interest_rate_in_force: z
      .string()
      .describe(
        'the annual rate in percent in force on the business date: the terms’ rate, or where it changes on dates ' +
          '(scheduled rate_changes, a rate change) the one holding the date',
      ),
    balances: z.record(z.string(), minor).describe('the journal’s balance by account'),
    outstanding: z.record(z.string(), minor),
    delinquency: z.object({
      days_past_due: z.number().int(),
      bucket: z.string(),
      oldest_unpaid_due: calendarDate.nullable(),
    }),
    schedule: z.array(installmentOut),
    transactions: z.array(eventOut),
    journal: z.array(journalEntryOut),
    statements: z.array(anyObject).describe('a line of credit’s statements, newest first'),
    line: anyObject.nullable().optional().describe('a line of credit: its limit, balances and cycle'),
    lease: anyObject.optional().describe('a lease: base payment, capitalized cost, residual value, maturity'),
  })
  .loose();

/** What an action recorded: its event, the loan after it, and the compliance decision when rules were asked. */
export const actionOut = eventOut.extend({ loan: loanOut, compliance: decisionOut.optional() });

/** A product's quote: its schedule, totals and disclosure (their fields are the product's). */
export const quoteOut = z.looseObject({
  schedule: z.array(anyObject).optional(),
  disclosure: anyObject.optional(),
  compliance: decisionOut.optional(),
});

export const runOut = z.object({
  business_date: calendarDate,
  status: z.string(),
  through_date: calendarDate,
  batches: z.object({ total: z.number().int(), done: z.number().int() }),
  loans: z.object({ total: z.number().int(), done: z.number().int() }),
  started_at: instant,
  completed_at: instant.nullable(),
  error: z.string().nullable(),
});

export const portfolioOut = z.object({
  business_date: calendarDate,
  by_program: z.array(
    z.object({
      program_id: z.string(),
      program_name: z.string(),
      status: z.string(),
      currency: z.string(),
      loans: z.number().int(),
      amount: minor,
    }),
  ),
  by_delinquency_bucket: z.array(
    z.object({ bucket: z.string(), currency: z.string(), loans: z.number().int(), amount: minor }),
  ),
});
