import { randomBytes } from 'node:crypto';
import {
  type BankStatementSpec,
  type TransactionSpec,
  writeOfx,
} from '../../sandbox/bank-files/write-ofx.js';
import { addDays, type CalendarDate } from '../../src/kernel/dates.js';
import type { TestApp } from '../helpers/app.js';

/** A multipart/form-data body for app.inject. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer; type?: string; field?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----plinth${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
          `content-type: ${file.type ?? 'application/x-ofx'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'latin1'),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export interface Lender {
  id: string;
  key: string;
  customerId: string;
}

/** A tenant with a customer (and, optionally, provider configs). */
export async function lender(t: TestApp, name = 'Lender'): Promise<Lender> {
  const tenant = await t.tenant(name);
  const c = await t.call('POST', '/v1/customers', {
    key: tenant.key,
    body: { legal_name: `${name} Borrower` },
  });
  if (c.statusCode !== 201) throw new Error(c.body);
  return { ...tenant, customerId: c.json().id };
}

export async function configure(
  t: TestApp,
  l: Lender,
  provider: string,
  config: Record<string, unknown>,
): Promise<string> {
  const r = await t.call('POST', '/v1/provider-configs', {
    key: l.key,
    body: { label: provider, service_type: 'financial_data', provider_key: provider, config },
  });
  if (r.statusCode !== 201) throw new Error(r.body);
  return r.json().id;
}

export async function importFile(t: TestApp, l: Lender, content: string | Buffer, name = 'statement.ofx') {
  const body = multipart({ customer_id: l.customerId }, { name, content });
  return t.app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { authorization: `Bearer ${l.key}`, ...body.headers },
    payload: body.payload,
  });
}

export async function get<T = Record<string, unknown>>(t: TestApp, l: Lender, url: string): Promise<T> {
  const r = await t.call('GET', url, { key: l.key });
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  return r.json() as T;
}

export interface AccountJson {
  id: string;
  provider_account_id: string;
  account_type: string;
  balance: number | null;
  name: string;
}
export interface TransactionJson {
  id: string;
  provider_transaction_id: string;
  status: string;
  amount: number;
  transaction_date: string;
  needs_review: boolean;
  review_reason: string | null;
  pending_transaction_id: string | null;
  variant: number;
  description: string;
}

export async function accountsOf(t: TestApp, l: Lender): Promise<AccountJson[]> {
  return (await get<{ data: AccountJson[] }>(t, l, `/v1/accounts?customer_id=${l.customerId}`)).data;
}

export async function transactionsOf(t: TestApp, l: Lender, accountId: string): Promise<TransactionJson[]> {
  return (await get<{ data: TransactionJson[] }>(t, l, `/v1/accounts/${accountId}/transactions?limit=1000`))
    .data;
}

/** `count` biweekly direct deposits of $2,100 from ACME CORP's payroll, the first on `first` (YYYY-MM-DD). */
export function biweeklyPayroll(first: string, count: number): TransactionSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'DIRECTDEP',
    posted: addDays(first as CalendarDate, i * 14).replaceAll('-', ''),
    amount: '2100.00',
    fitId: `PAY${i}`,
    name: 'ACME CORP PAYROLL',
  }));
}

/** An SGML bank statement for one checking account. */
export function bankFile(
  transactions: TransactionSpec[],
  opts: Partial<BankStatementSpec> & { balance?: string; asOf?: string } = {},
): string {
  const asOf = opts.asOf ?? '20240430120000';
  return writeOfx(
    {
      org: 'Chase',
      fid: '10898',
      serverDate: asOf,
      statements: [
        {
          kind: 'bank',
          bankId: '021000021',
          accountId: '000123456789',
          accountType: 'CHECKING',
          start: '20240401',
          end: asOf.slice(0, 8),
          ledger: { amount: opts.balance ?? '1000.00', asOf },
          ...opts,
          transactions,
        },
      ],
    },
    { dialect: 'sgml' },
  );
}

/** A lender whose tenant has the Chase file import configured. */
export async function fileImportLender(t: TestApp, name = 'Lender'): Promise<Lender> {
  const l = await lender(t, name);
  await configure(t, l, 'chase_file', {});
  return l;
}

export function connectAlpaca(t: TestApp, l: Lender, credentials: Record<string, unknown>) {
  return t.call('POST', '/v1/connections', {
    key: l.key,
    body: { customer_id: l.customerId, provider: 'alpaca', credentials },
  });
}
