import { type AddressInfo, createServer } from 'node:net';
import { createContext } from '../../context.js';
import { buildApp } from '../../http/app.js';
import { loadConfig } from '../../kernel/config.js';
import { generateFernetKey } from '../../kernel/crypto/fernet.js';
import { aggregationTour } from './aggregation.js';
import { cardFundingTour } from './card-funding.js';
import { cardsTour } from './cards.js';
import { demoClient, expectStatus, say, section } from './client.js';
import { communicationsTour } from './communications.js';
import { complianceTour, reportingTour } from './compliance.js';
import { fineractProductsTour } from './fineract-products.js';
import { type DemoTenant, foundationTour } from './foundation.js';
import { lendingTour } from './lending.js';
import { lendingProductsTour } from './lending-products.js';
import { paymentsTour } from './payments.js';

/**
 * The product tour: an in-memory Plinth served on a local port, a demo tenant, and every capability exercised
 * through the real HTTP API against the local simulators. `--serve` keeps the demo server up afterwards so the
 * printed curl calls work.
 */
/** A loopback port nothing listens on: Plinth's public URL must name it, for the simulators' webhooks. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

export async function runDemo(opts: { serve?: boolean }): Promise<number | undefined> {
  const adminToken = `demo-admin-${generateFernetKey().slice(0, 16)}`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: 'memory',
    PORT: process.env.PORT ?? String(await freePort()),
    PLINTH_ADMIN_TOKEN: adminToken,
    PROVIDER_ENCRYPTION_KEY: process.env.PROVIDER_ENCRYPTION_KEY ?? generateFernetKey(),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The tour's providers are the local simulators.
    PLINTH_PROVIDER_ENDPOINTS: process.env.PLINTH_PROVIDER_ENDPOINTS ?? 'http://127.0.0.1:*',
  });
  const ctx = await createContext({ config, jobs: true });
  const app = await buildApp(ctx);
  await app.listen({ host: config.HOST, port: config.PORT });
  await ctx.startWorkers();
  const { port } = app.server.address() as AddressInfo;
  const base = `http://${config.HOST}:${port}`;
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    await app.close();
    await ctx.close();
    for (const close of closers) await close();
  };
  const api = demoClient(base);
  let tenant: DemoTenant;
  try {
    say(`Plinth demo on ${base} (in-memory database)`);
    tenant = await foundationTour(api, adminToken);
    closers.push(await aggregationTour(api, tenant));
    await lendingTour(api, tenant);
    await lendingProductsTour(api, tenant);
    await fineractProductsTour(api, tenant);
    closers.push(await paymentsTour(api, tenant));
    await cardsTour(api, tenant);
    await cardFundingTour(api, adminToken);
    closers.push(await communicationsTour(api, tenant, config.PLINTH_DATA_DIR));
    await complianceTour(api, adminToken);
    await reportingTour(api, tenant);

    section('Try it yourself');
    say(`curl -s ${base}/v1/tenant -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/customers -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/providers -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/loans -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/payments -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/messages -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/documents -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/audit-log -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/reports -H 'authorization: Bearer ${tenant.key}'`);
    say(`curl -s ${base}/v1/report-runs -H 'authorization: Bearer ${tenant.key}'`);
    say(
      `curl -s ${base}/v1/card-authorizations/authorization-requests -H 'authorization: Bearer ${tenant.key}'`,
    );
    say(`open ${base}/docs for the interactive API reference, ${base}/console for the operator console`);
  } catch (e) {
    await stop();
    throw e;
  }
  if (!opts.serve) {
    say('\n(the demo server stops now; `npm run demo -- --serve` keeps it running for the calls above)');
    await stop();
    return 0;
  }
  const link = await expectStatus(
    api.call<{ path: string; expires_at: string }>('POST', '/v1/console/sign-in-links', {
      key: tenant.key,
      body: { role: 'admin' },
    }),
    201,
    'console sign-in link',
  );
  say(`\nOperator console: ${base}${link.path}`);
  say(`  (signs in once as the demo tenant's admin; the link expires at ${link.expires_at})`);
  say('\nDemo server running; Ctrl-C to stop.');
  const onSignal = () => void stop().then(() => process.exit(0));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return undefined;
}
