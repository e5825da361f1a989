import { expect } from 'vitest';
import { addDays, type CalendarDate } from '../../src/kernel/dates.js';
import type { TestApp } from '../helpers/app.js';
import { mismatches } from './product-compare.js';

/** Shared by the lease and line-of-credit suites: a tenant with a program, origination, writes, closing days. */

export type Call = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
) => ReturnType<TestApp['call']>;

export type Product = 'lease' | 'line_of_credit';

/** A new tenant on `businessDate` with one program of `product`. */
export async function productTenant(t: TestApp, product: Product, terms: unknown, businessDate: string) {
  const tenant = await t.tenant();
  const call: Call = (method, url, body) => t.call(method, url, { key: tenant.key, body });
  const bd = await call('PUT', '/v1/business-date', { business_date: businessDate });
  if (bd.statusCode !== 200) throw new Error(bd.body);
  const p = await call('POST', '/v1/programs', { name: product, program_type: product, terms });
  if (p.statusCode !== 201) throw new Error(p.body);
  return { tenant, call, programId: p.json().id as string };
}

/** Applies for a lease or a line, approves it and disburses it (commencement, opening). */
export async function originate(call: Call, request: Record<string, unknown>): Promise<string> {
  const id = (await created(call, '/v1/loans', request)).id as string;
  for (const step of ['approve', 'disburse']) await created(call, `/v1/loans/${id}/${step}`);
  return id;
}

/** A POST that must answer 201; its body. */
export async function created(call: Call, url: string, body?: unknown) {
  const r = await call('POST', url, body);
  if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  return r.json();
}

export async function closeThrough(call: Call, date: string) {
  const r = await call('POST', '/v1/close-of-business', { date });
  if (r.statusCode !== 200) throw new Error(r.body);
}

/** The store equals the replay of the open business day. */
export async function agrees(t: TestApp, tenantId: string, product: Product, businessDate: string) {
  const at = { asOf: businessDate as CalendarDate, closeOfBusiness: false };
  expect(await mismatches(t.ctx.database.db, tenantId, product, () => at)).toEqual([]);
}

/**
 * The end of a simulated day: the loans written during it equal the replay of the open day and the others the
 * last closed day's; then the day is closed and every loan equals the replay after its close of business.
 * `written` is emptied. Returns the differences found.
 */
export async function closeDayAndCompare(
  t: TestApp,
  tenantId: string,
  call: Call,
  product: Product,
  today: CalendarDate,
  written: Set<string>,
): Promise<string[]> {
  const db = t.ctx.database.db;
  const yesterday = addDays(today, -1);
  const open = await mismatches(db, tenantId, product, (id) =>
    written.has(id) ? { asOf: today, closeOfBusiness: false } : { asOf: yesterday, closeOfBusiness: true },
  );
  written.clear();
  const closed = await call('POST', '/v1/close-of-business', { date: today });
  if (closed.statusCode !== 200) throw new Error(closed.body);
  const after = await mismatches(db, tenantId, product, () => ({ asOf: today, closeOfBusiness: true }));
  return [...open.map((p) => `open day: ${p}`), ...after.map((p) => `closed: ${p}`)];
}

/**
 * Checks the writes of a simulation: a 201 marks its loan written today; a refusal must have one of the
 * `expected` codes (else it is a problem). Refusals reached are recorded in `reached`.
 */
export function writeChecker(expected: ReadonlySet<string>, problems: string[], reached: Set<string>) {
  const written = new Set<string>();
  const check = async (what: string, r: Awaited<ReturnType<Call>>) => {
    if (r.statusCode === 201) {
      const body = r.json();
      written.add(body.loan.id);
      return body;
    }
    const code = r.json().code as string;
    if (!expected.has(code)) problems.push(`${what}: ${r.statusCode} ${r.body}`);
    reached.add(`refused:${code}`);
    return null;
  };
  return { written, check };
}
