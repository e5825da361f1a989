// Scratch: timing spans around each stage of one collection (not committed).
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startStripeSimulator } from '../../sandbox/simulators/stripe/index.js';
import { createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { LoanCompliance, LoanPayments, LoanService } from '../../src/modules/lending/index.js';
import { CollectionService } from '../../src/modules/payments/collections/service.js';
import { PaymentMethodService } from '../../src/modules/payments/payment-methods/service.js';
import { PaymentRecorder } from '../../src/modules/payments/payments/recorder.js';
import { PaymentService } from '../../src/modules/payments/payments/service.js';
import { Processors } from '../../src/modules/payments/processors.js';
import { benchPostgres } from '../lib/postgres.js';
import pgm from 'pg';
const cq = (pgm.Client.prototype as any).query;
(pgm.Client.prototype as any).query = function (q: any, ...r: any[]) {
  const text = (typeof q === 'string' ? q : q?.text ?? '').replace(/\s+/g, ' ').slice(0, 90);
  const t0 = performance.now();
  const out = cq.call(this, q, ...r);
  if (out && typeof out.then === 'function') out.then(() => { msgs++; const a = stmt.get(text) ?? []; a.push(performance.now() - t0); stmt.set(text, a); }, () => {});
  return out;
};

const spans = new Map<string, number[]>();
function wrap(proto: any, name: string, label: string) {
  const orig = proto[name];
  proto[name] = async function (...args: unknown[]) {
    const t0 = performance.now();
    try { return await orig.apply(this, args); } finally {
      const arr = spans.get(label) ?? []; arr.push(performance.now() - t0); spans.set(label, arr);
    }
  };
}
let msgs = 0;
const post = Worker.prototype.postMessage;
const pending = new Map<number, { text: string; t0: number }>();
const stmt = new Map<string, number[]>();
let dbWorker: any = null;
Worker.prototype.postMessage = function (this: any, m: any, ...r: any[]) { if (m && m.op) { dbWorker = this; msgs++; pending.set(m.id, { text: (m.text ?? m.op).replace(/\s+/g, ' ').slice(0, 90), t0: performance.now() }); } return post.call(this, m, ...r); } as any;
const emit = Worker.prototype.emit;
Worker.prototype.emit = function (ev: any, v: any, ...r: any[]) { if (ev === 'message' && v && pending.has(v.id)) { const p = pending.get(v.id)!; pending.delete(v.id); const a = stmt.get(p.text) ?? []; a.push(performance.now() - p.t0); stmt.set(p.text, a); } return emit.call(this, ev, v, ...r); } as any;

wrap(CollectionService.prototype, 'collect', 'collect (service)');
wrap(LoanPayments.prototype, 'collectible', ' loan read (collectible)');
wrap(CollectionService.prototype, 'methodOfLoan', ' methodOfLoan');
wrap(PaymentMethodService.prototype, 'ofCustomer', '  method read');
wrap(Processors.prototype, 'forProgram', '  processors.forProgram');
wrap(PaymentService.prototype, 'create', ' payments.create');
wrap(Processors.prototype, 'of', '  processors.of');
wrap(LoanCompliance.prototype, 'checkPayment', '  compliance.checkPayment');
wrap(PaymentRecorder.prototype, 'record', '  recorder.record');
wrap(LoanService.prototype, 'act', '   loan act');

const admin = `bench-admin-${generateFernetKey().slice(0, 12)}`;
const pg = process.argv.includes('postgres') ? await benchPostgres() : null;
const config = loadConfig({ ...process.env, DATABASE_URL: pg?.url ?? 'memory', PORT: '0', PLINTH_ADMIN_TOKEN: admin,
  PROVIDER_ENCRYPTION_KEY: generateFernetKey(), LOG_LEVEL: 'warn', PLINTH_WORKERS: 'false', PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*' });
const sim = await startStripeSimulator({ webhookDelivery: 'manual' });
const ctx = await createContext({ config });
const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
async function call(method: string, path: string, key: string, body?: unknown, idem?: string) {
  const r = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`,
    ...(body !== undefined && { 'content-type': 'application/json' }), ...(idem && { 'idempotency-key': idem }) },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
}
async function must(method: string, path: string, key: string, body?: unknown) {
  const r = await call(method, path, key, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const tenant = await must('POST', '/v1/tenants', admin, { name: 'S' });
const key = tenant.api_key as string;
await must('PUT', '/v1/business-date', key, { business_date: '2024-01-15' });
const cfg = await must('POST', '/v1/provider-configs', key, { label: 'Stripe', service_type: 'payment_processor', provider_key: 'stripe', is_default: true,
  config: { secret_key: sim.apiKey, webhook_secret: `whsec_${'b'.repeat(32)}`, api_base_url: sim.url, timeout_ms: 30000, network_retries: 0 } });
const program = await must('POST', '/v1/programs', key, { name: 'Bench', program_type: 'installment_loan', terms: { currency: 'USD',
  annual_interest_rate: { min: '0', max: '36', default: '12' }, term_count: { min: 1, max: 360, default: 12 }, principal: { min: 100, max: 100_000_000 } } });
const loans: { id: string; pm: string }[] = [];
for (let i = 0; i < Number(process.env.LOANS ?? 8); i++) {
  const customer = await must('POST', '/v1/customers', key, { legal_name: `B ${i}` });
  const loan = await must('POST', '/v1/loans', key, { program_id: program.id, customer_id: customer.id, principal: 10_000_000, disbursement_date: '2024-01-15' });
  await must('POST', `/v1/loans/${loan.id}/approve`, key, { effective_date: '2024-01-15' });
  await must('POST', `/v1/loans/${loan.id}/disburse`, key);
  const pm = await must('POST', '/v1/payment-methods', key, { customer_id: customer.id, type: 'card', token: 'pm_card_visa' });
  loans.push({ id: loan.id, pm: pm.id });
}
const resolved = await ctx.resolver.byId('payment_processor', cfg.id, tenant.tenant.id);
const proc = resolved!.instance as any;
wrap(proc, 'authorize', '  processor.authorize (simulator)');
const N = Number(process.env.N ?? 60);
const C = Number(process.env.C ?? 1);
const totals: number[] = [];
let wall = 0; let cpuPer = 0; let eluMain = 0; let eluDb = 0;
for (let warm = 0; warm < 2; warm++) {
  spans.clear(); stmt.clear(); msgs = 0; totals.length = 0;
  const session = new Session(); if (warm === 1 && process.env.PROF) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start'); }
  const w0 = performance.now(); const cpu0 = process.cpuUsage(); const eluMain0 = performance.eventLoopUtilization(); const eluDb0 = dbWorker?.performance.eventLoopUtilization();
  await Promise.all(Array.from({ length: C }, async (_, c) => {
  for (let n = 0; n < N / C; n++) {
    const loan = loans[(c + n * C) % loans.length]!;
    const t0 = performance.now();
    const r = await call('POST', `/v1/loans/${loan.id}/collections`, key, { amount: 100, payment_method_id: loan.pm }, `k${warm}-${c}-${n}`);
    totals.push(performance.now() - t0);
    if (r.status !== 201) throw new Error(JSON.stringify(r));
  }}));
  wall = performance.now() - w0; eluMain = performance.eventLoopUtilization(eluMain0).utilization; eluDb = dbWorker ? dbWorker.performance.eventLoopUtilization(eluDb0).utilization : NaN; const cpu = process.cpuUsage(cpu0); cpuPer = (cpu.user + cpu.system) / 1000 / N;
  if (warm === 1 && process.env.PROF) { const { profile } = await session.post('Profiler.stop'); writeFileSync(process.env.PROF, JSON.stringify(profile)); }
}
console.log(`rate ${(N / wall * 1000).toFixed(0)}/s with ${C} clients; process CPU per collection ${cpuPer.toFixed(2)} ms; busy: main thread ${(eluMain * 100).toFixed(0)}%, database thread ${(eluDb * 100).toFixed(0)}%`);
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]!; };
console.log(`HTTP total p50 ${med(totals).toFixed(2)} ms; db messages per collection ${(msgs / N).toFixed(1)}`);
for (const [k, v] of spans) console.log(`${k.padEnd(36)} n/coll ${(v.length / N).toFixed(1)}  p50 ${med(v).toFixed(2)} ms`);
for (const [k, v] of [...stmt].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0))) console.log(`${(v.length / N).toFixed(1)}  p50 ${med(v).toFixed(2)} ms  sum/coll ${(v.reduce((x, y) => x + y, 0) / N).toFixed(2)}  ${k}`);
await app.close(); await ctx.close(); await sim.close(); await pg?.stop();
