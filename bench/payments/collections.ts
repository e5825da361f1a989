/**
 * Collections benchmark: `POST /v1/loans/{id}/collections` through the HTTP API against the Stripe simulator
 * (official SDK), each collection charged, captured and applied to its loan in one statement with the payment's
 * record. Figures: collections/s with 32 concurrent clients (target ≥ 500/s) with p50/p99, against the one-client
 * rate measured in the same run; Plinth's own time per collection (its latency less the time spent waiting for the
 * simulator, measured with one client so that each request's processor calls are its own; target p50 ≤ 3 ms); and
 * duplicate charges at the simulator when every request is sent twice with the same Idempotency-Key.
 *
 *   npx tsx bench/payments/collections.ts [--loans 128] [--seconds 10] [--clients 32]
 *
 * One process: Plinth (embedded PGlite, in memory) and the simulator share the machine's cores.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startStripeSimulator } from '../../sandbox/simulators/stripe/index.js';
import { createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import type { PaymentProcessor } from '../../src/modules/payments/index.js';
import { fmt, header, summarize } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '128' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '32' },
  },
});
const LOANS = Number(values.loans);
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);

const admin = `bench-admin-${generateFernetKey().slice(0, 12)}`;
const config = loadConfig({
  ...process.env,
  DATABASE_URL: 'memory',
  PORT: '0',
  PLINTH_ADMIN_TOKEN: admin,
  PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
  LOG_LEVEL: 'warn',
  PLINTH_WORKERS: 'false',
  PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*',
});
const sim = await startStripeSimulator({ webhookDelivery: 'manual' });
const ctx = await createContext({ config });
const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

async function call(method: string, path: string, key: string, body?: unknown, idem?: string) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(idem && { 'idempotency-key': idem }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
}
async function must(method: string, path: string, key: string, body?: unknown) {
  const r = await call(method, path, key, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// Setup: a tenant with Stripe as its default processor, a program, LOANS active loans of one borrower each with a card.
const tenant = await must('POST', '/v1/tenants', admin, { name: 'Bench' });
const key = tenant.api_key as string;
await must('PUT', '/v1/business-date', key, { business_date: '2024-01-15' });
const configRow = await must('POST', '/v1/provider-configs', key, {
  label: 'Stripe',
  service_type: 'payment_processor',
  provider_key: 'stripe',
  is_default: true,
  config: { secret_key: sim.apiKey, webhook_secret: `whsec_${'b'.repeat(32)}`, api_base_url: sim.url },
});
const program = await must('POST', '/v1/programs', key, {
  name: 'Bench',
  program_type: 'installment_loan',
  terms: {
    currency: 'USD',
    annual_interest_rate: { min: '0', max: '36', default: '12' },
    term_count: { min: 1, max: 360, default: 12 },
    principal: { min: 100, max: 100_000_000 },
  },
});
const loans: { id: string; pm: string }[] = [];
for (let i = 0; i < LOANS; i++) {
  const customer = await must('POST', '/v1/customers', key, { legal_name: `Borrower ${i}` });
  const loan = await must('POST', '/v1/loans', key, {
    program_id: program.id,
    customer_id: customer.id,
    principal: 10_000_000,
    disbursement_date: '2024-01-15',
  });
  await must('POST', `/v1/loans/${loan.id}/approve`, key, { effective_date: '2024-01-15' });
  await must('POST', `/v1/loans/${loan.id}/disburse`, key);
  const pm = await must('POST', '/v1/payment-methods', key, {
    customer_id: customer.id,
    type: 'card',
    token: 'pm_card_visa',
  });
  loans.push({ id: loan.id, pm: pm.id });
}

// The simulator's share of each request: every processor call of the config's instance is timed.
const resolved = await ctx.resolver.byId('payment_processor', configRow.id, tenant.tenant.id);
const processor = resolved!.instance as PaymentProcessor;
let processorMs = 0;
const authorize = processor.authorize.bind(processor);
processor.authorize = async (request) => {
  const t0 = performance.now();
  try {
    return await authorize(request);
  } finally {
    processorMs += performance.now() - t0;
  }
};

let sequence = 0;
async function round(clients: number, seconds: number, twice = false) {
  const latencies: number[] = [];
  const own: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async (c: number) => {
    for (let n = 0; performance.now() < end; n++) {
      const loan = loans[(c + n * clients) % loans.length]!;
      const idem = `bench-${++sequence}`;
      const body = { amount: 100, payment_method_id: loan.pm };
      const before = processorMs;
      const t0 = performance.now();
      const r = await call('POST', `/v1/loans/${loan.id}/collections`, key, body, idem);
      const ms = performance.now() - t0;
      if (r.status !== 201) errors++;
      latencies.push(ms);
      if (clients === 1) own.push(ms - (processorMs - before));
      if (twice) await call('POST', `/v1/loans/${loan.id}/collections`, key, body, idem);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => worker(c)));
  const elapsed = (performance.now() - t0) / 1000;
  return {
    rate: latencies.length / elapsed,
    lat: summarize(latencies),
    own: own.length ? summarize(own) : null,
    n: latencies.length,
    errors,
  };
}

header(`Collections through HTTP, Stripe simulator, ${LOANS} loans, ${SECONDS} s per round`);
const one = await round(1, SECONDS);
const many = await round(CLIENTS, SECONDS);
console.log(
  `1 client:    ${fmt(one.rate, 0)} collections/s  p50 ${fmt(one.lat.p50)} ms  p99 ${fmt(one.lat.p99)} ms  (${one.errors} errors)`,
);
console.log(
  `${CLIENTS} clients:  ${fmt(many.rate, 0)} collections/s  p50 ${fmt(many.lat.p50)} ms  p99 ${fmt(many.lat.p99)} ms  (${many.errors} errors)  target ≥ 500/s`,
);
console.log(`ratio ${CLIENTS} clients / 1 client: ${fmt(many.rate / one.rate)}×`);
console.log(
  `Plinth's own time per collection (latency less the simulator's), 1 client: p50 ${fmt(one.own!.p50)} ms  p99 ${fmt(one.own!.p99)} ms  target p50 ≤ 3 ms`,
);

const capturesBefore = sim.ledger().entries.reduce((n, e) => n + e.captures, 0);
const dup = await round(8, Math.max(2, SECONDS / 2), true);
const captures = sim.ledger().entries.reduce((n, e) => n + e.captures, 0) - capturesBefore;
console.log(
  `every request sent twice with its Idempotency-Key: ${dup.n} collections, ${captures} captures at the simulator, duplicates ${captures - dup.n + dup.errors}`,
);

await app.close();
await ctx.close();
await sim.close();
