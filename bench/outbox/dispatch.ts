/**
 * Outbox benchmark: messages dispatched to the vendors' simulators (the official SDKs, a client per config) through
 * the production path; `--channel email` (the default: SendGrid), `sms` (Twilio) or `mixed` (alternately): POST-equivalent creation (template render, recipient, provider resolution, the queued row),
 * a job on the queue, the dispatch worker (claim, send, record `sent` with its event). Targets: ≥ 1,000 messages/s
 * with bounded concurrency; p99 enqueue-to-sent latency reported.
 *
 * Dispatch rate: from a full outbox, the worker's drain (claims of 64, 32 sends in flight) against a baseline of
 * the same drain one message at a time, in the same run. Latency: enqueue-to-sent through the job queue and the
 * worker while 16 callers create messages. The simulators run in a process of their own (as the vendors are not
 * in Plinth's), so the CPU per message of each side is measured apart.
 * Also: presigned URL generation for both document stores, p50 (target ≤ 0.2 ms; no network call).
 *
 *   npx tsx bench/outbox/dispatch.ts [--messages 5000] [--baseline 500] [--channel email|sms|mixed]
 *                                    [--profile drain.cpuprofile]
 *   PLINTH_BENCH_DATABASE_URL=postgres://… uses that server instead of a throwaway PostgreSQL cluster.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { DEFAULT_SENDGRID_API_KEY } from '../../sandbox/simulators/sendgrid/index.js';
import { type Context, createContext } from '../../src/context.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { rows } from '../../src/kernel/db.js';
import { createLogger } from '../../src/kernel/logging.js';
import { DISPATCH_BATCH, DISPATCH_CONCURRENCY } from '../../src/modules/communications/index.js';
import { sendGridOutbox } from '../../test/helpers/outbox.js';
import { startS3Server } from '../../test/support/s3-server.js';
import { benchPostgres } from '../lib/postgres.js';
import { profiled } from '../lib/profile.js';
import { simulatorProcess, simulatorUrl } from '../lib/simulator.js';
import { fmt, header, sampleMicros, summarize } from '../lib/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '5000' },
    baseline: { type: 'string', default: '500' },
    channel: { type: 'string', default: 'email' },
    /** Profile the full-outbox drain: the .cpuprofile's path. */
    profile: { type: 'string' },
  },
});
const MESSAGES = Number(values.messages);
const BASELINE = Number(values.baseline);
const CHANNEL = values.channel as 'email' | 'sms' | 'mixed';
if (!['email', 'sms', 'mixed'].includes(CHANNEL)) throw new Error('--channel: email, sms or mixed');
const channelOf = (i: number): 'email' | 'sms' =>
  CHANNEL === 'mixed' ? (i % 2 === 0 ? 'email' : 'sms') : CHANNEL;

const pg = await benchPostgres();
/** The simulators in processes of their own, on free ports. */
const sendgrid = await simulatorProcess('sendgrid', (out) => {
  const url = simulatorUrl(out);
  return url ? { url, apiKey: DEFAULT_SENDGRID_API_KEY } : null;
});
const twilio =
  CHANNEL === 'email'
    ? undefined
    : await simulatorProcess('twilio', (out) => {
        const url = simulatorUrl(out);
        // Twilio's prints its account after the URL.
        return url && /From: +\S+/.test(out) ? { url, printed: out } : null;
      });
const printed = (label: string) => new RegExp(`${label}: +(\\S+)`).exec(twilio!.printed)![1]!;
const simulatorsCpuMs = () => sendgrid.cpuMs() + (twilio?.cpuMs() ?? 0);
const s3 = await startS3Server({ buckets: ['documents'] });
const dataDir = mkdtempSync(join(tmpdir(), 'plinth-bench-outbox-'));
const config = loadConfig({
  DATABASE_URL: pg.url,
  PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
  LOG_LEVEL: 'warn',
  PLINTH_DATA_DIR: dataDir,
  // The simulators, as an operator running a sandbox would allow them.
  PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*',
});
const variables = {
  currency: 'USD',
  loan: { reference: 'LN-1' },
  payment: { amount_due: 43_817, due_date: '2026-04-02', days_until_due: 5 },
  customer: { name: 'Ada Borrower' },
};

async function setUp(ctx: Context) {
  const { tenant } = await ctx.tenancy.tenants.createTenant({ name: 'bench' }, 'bench');
  const scope = await sendGridOutbox(ctx, tenant.id, sendgrid, 100_000);
  if (twilio) {
    const made = await ctx.providerConfigs.create(scope, {
      label: 'twilio',
      serviceType: 'sms',
      providerKey: 'twilio',
      config: {
        account_sid: printed('Account SID'),
        auth_token: printed('Auth token'),
        from_number: printed('From'),
        base_url: twilio.url,
      },
      isDefault: true,
    });
    if (!made.ok) throw new Error(made.error.message);
  }
  return scope;
}

const create = async (ctx: Context, scope: Awaited<ReturnType<typeof setUp>>, i: number) => {
  const channel = channelOf(i);
  const r = await ctx.communications.messages.create(scope, {
    channel,
    template: 'payment_reminder',
    variables,
    to:
      channel === 'email'
        ? { email: `borrower${i}@example.com`, name: 'Ada Borrower' }
        : { phone: `+1512555${String(i % 10_000).padStart(4, '0')}` },
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.id;
};

/** Enqueue-to-sent latency of every sent message of the tenant, in ms. */
const latencies = async (ctx: Context, tenantId: string) =>
  (
    await rows<{ ms: number }>(
      ctx.database.db,
      sql`SELECT extract(epoch FROM e.occurred_at - m.created_at) * 1000 AS ms
            FROM messages m JOIN message_events e ON e.tenant_id = m.tenant_id AND e.message_id = m.id
           WHERE m.tenant_id = ${tenantId} AND e.status = 'sent'`,
    )
  ).map((r) => Number(r.ms));

const channelName = {
  email: 'e-mails (SendGrid)',
  sms: 'SMS (Twilio)',
  mixed: 'e-mails and SMS alternately',
}[CHANNEL];
header(`outbox dispatch to the simulators: ${channelName}`);

/** Creates `n` queued messages (16 callers at a time); the seconds it took. */
async function fill(ctx: Context, scope: Awaited<ReturnType<typeof setUp>>, n: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) await create(ctx, scope, next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

const sentCount = async (ctx: Context, tenantId: string) =>
  (
    await rows<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM messages WHERE tenant_id = ${tenantId} AND status = 'sent'`,
    )
  )[0]!.n;

// Dispatch from a full outbox (no worker running while it fills): one message at a time (the baseline), then
// claims of DISPATCH_BATCH with DISPATCH_CONCURRENCY sends in flight, as the worker drains.
let baselineRate = 0;
{
  const ctx = await createContext({ config, logger: createLogger('warn') });
  const scope = await setUp(ctx);
  await fill(ctx, scope, BASELINE);
  const t0 = performance.now();
  for (let i = 0; i < BASELINE; i++)
    await ctx.communications.dispatcher.drain(scope.tenantId, { batch: 1, concurrency: 1, rounds: 1 });
  const seconds = (performance.now() - t0) / 1000;
  if ((await sentCount(ctx, scope.tenantId)) !== BASELINE) throw new Error('baseline: not all sent');
  baselineRate = BASELINE / seconds;
  console.log(
    `baseline (one at a time): ${BASELINE} messages dispatched in ${fmt(seconds)} s = ${fmt(baselineRate, 0)} msg/s`,
  );

  const scope2 = await setUp(ctx);
  const filled = await fill(ctx, scope2, MESSAGES);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const simCpu0 = simulatorsCpuMs();
  const drainAll = () =>
    ctx.communications.dispatcher.drain(scope2.tenantId, {
      batch: DISPATCH_BATCH,
      concurrency: DISPATCH_CONCURRENCY,
    });
  const drained = values.profile ? await profiled(values.profile, drainAll) : await drainAll();
  const s2 = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / MESSAGES;
  const simCpuMs = (simulatorsCpuMs() - simCpu0) / MESSAGES;
  if (drained.sent !== MESSAGES) throw new Error(`outbox: ${drained.sent} of ${MESSAGES} sent`);
  const rate = MESSAGES / s2;
  console.log(
    `${channelName}, outbox (claims of ${DISPATCH_BATCH}, ${DISPATCH_CONCURRENCY} sends in flight): ${MESSAGES} messages dispatched in ${fmt(s2)} s = ` +
      `${fmt(rate, 0)} msg/s (target ≥ 1000); ratio ${fmt(rate / baselineRate)}× one at a time ` +
      `(creating them took ${fmt(filled)} s = ${fmt(MESSAGES / filled, 0)} msg/s with 16 callers); ` +
      `CPU per message: ${fmt(cpuMs)} ms in Plinth's process (the SDKs included), ${fmt(simCpuMs)} ms in the ` +
      `simulators' (PostgreSQL apart)`,
  );
  await ctx.close();
}

// Enqueue-to-sent latency through the job queue and the worker, while 16 callers create messages.
{
  const ctx = await createContext({ config, logger: createLogger('warn'), jobs: true });
  const scope = await setUp(ctx);
  await ctx.startWorkers();
  const n = Math.min(MESSAGES, 2000);
  const filled = await fill(ctx, scope, n);
  while ((await sentCount(ctx, scope.tenantId)) < n) await new Promise((res) => setTimeout(res, 20));
  const lat = summarize(await latencies(ctx, scope.tenantId));
  console.log(
    `through the queue and worker: ${n} messages created at ${fmt(n / filled, 0)} msg/s; enqueue-to-sent ` +
      `p50 ${fmt(lat.p50)} ms, p99 ${fmt(lat.p99)} ms`,
  );
  await new Promise((res) => setTimeout(res, 500)); // let the worker's last batch complete before closing
  await ctx.close();
}

header('presigned URLs (no network call)');
{
  const { STORAGE_PROVIDERS } = await import('../../src/modules/documents/index.js');
  const def = (key: string) => STORAGE_PROVIDERS.find((d) => d.key === key)!;
  const deps = { logger: createLogger('warn'), now: () => new Date(), dataDir };
  const make = (key: string, c: Record<string, unknown>) =>
    def(key).create(def(key).configSchema.parse(c), deps);
  const stores = {
    s3: make('s3', {
      bucket: 'documents',
      region: s3.region,
      access_key_id: s3.accessKeyId,
      secret_access_key: s3.secretAccessKey,
      endpoint: s3.endpoint,
      force_path_style: true,
    }),
    local: make('local', { signing_secret: 'local-signing-secret-0123456789abcdef' }),
  };
  for (const [name, store] of Object.entries(stores)) {
    const url = () =>
      store.getDownloadUrl(`t/${Math.random()}`, { contentType: 'application/pdf', expiresInSeconds: 300 });
    for (let i = 0; i < 2000; i++) await url();
    const get = summarize(await sampleMicros(5000, url));
    const put = summarize(
      await sampleMicros(5000, () =>
        store.getUploadUrl(`t/${Math.random()}`, {
          contentType: 'application/pdf',
          size: 1000,
          expiresInSeconds: 900,
        }),
      ),
    );
    console.log(
      `${name}: presigned GET p50 ${fmt(get.p50 / 1000, 3)} ms p99 ${fmt(get.p99 / 1000, 3)} ms; ` +
        `presigned PUT p50 ${fmt(put.p50 / 1000, 3)} ms p99 ${fmt(put.p99 / 1000, 3)} ms (target p50 ≤ 0.2 ms)`,
    );
  }
}

await sendgrid.close();
await twilio?.close();
await s3.stop();
await pg.stop();
