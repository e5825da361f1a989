import { parseArgs } from 'node:util';
import { startAuthorizeNetSimulator } from './index.js';

// Runs the Authorize.Net simulator standalone:
//   npx tsx sandbox/simulators/authorizenet/main.ts --port 4021 --webhook http://localhost:3000/v1/webhooks/payment-processors/<id>
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4021' },
    webhook: { type: 'string', multiple: true },
    'echeck-settle-ms': { type: 'string', default: '5000' },
  },
});
const sim = await startAuthorizeNetSimulator({
  port: Number(values.port),
  echeckSettlementDelayMs: Number(values['echeck-settle-ms']),
  webhookEndpoints: (values.webhook ?? []).map((url) => ({ url })),
});
console.log(`Authorize.Net simulator: POST ${sim.endpoint}
  API login ID:     ${sim.settings.apiLoginId}
  transaction key:  ${sim.settings.transactionKey}
  public client key (Accept.js): ${sim.settings.clientKey}
  signature key:    ${sim.settings.signatureKey}
  eChecks settle after ${values['echeck-settle-ms']} ms; cards settle when the batch is settled (not on their own here)
  webhooks:         ${sim.webhookEndpoints.map((e) => e.url).join(', ') || 'none (register with POST /rest/v1/webhooks)'}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
