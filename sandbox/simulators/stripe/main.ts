import { parseArgs } from 'node:util';
import { startStripeSimulator } from './index.js';

// Runs the Stripe payments simulator standalone:
//   npx tsx sandbox/simulators/stripe/main.ts --port 4020 --webhook http://localhost:3000/v1/webhooks/payment-processors/<id>
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4020' },
    webhook: { type: 'string', multiple: true },
    'settle-ms': { type: 'string', default: '5000' },
  },
});
const sim = await startStripeSimulator({
  port: Number(values.port),
  bankSettlementDelayMs: Number(values['settle-ms']),
  webhookEndpoints: (values.webhook ?? []).map((url) => ({ url })),
});
console.log(`Stripe simulator on ${sim.url}
  secret key:  ${sim.apiKey}
  SDK:         new Stripe('${sim.apiKey}', { host: '127.0.0.1', port: ${sim.port}, protocol: 'http' })
  bank debits settle after ${values['settle-ms']} ms`);
for (const e of sim.webhookEndpoints) console.log(`  webhook ${e.url}  signing secret ${e.secret}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
