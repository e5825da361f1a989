import { parseArgs } from 'node:util';
import { startLobSimulator } from './index.js';

// Runs the Lob simulator standalone:
//   npx tsx sandbox/simulators/lob/main.ts --port 4023 [--webhook http://localhost:3000/v1/webhooks/... --secret s] [--auto]
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4023' },
    webhook: { type: 'string' },
    secret: { type: 'string', default: 'lob_sim_webhook_secret' },
    auto: { type: 'boolean', default: false },
    'auto-delay-ms': { type: 'string', default: '1000' },
  },
});
const sim = await startLobSimulator({
  port: Number(values.port),
  webhooks: values.webhook ? [{ url: values.webhook, secret: values.secret }] : [],
  lifecycle: values.auto ? 'auto' : 'manual',
  autoDelayMs: Number(values['auto-delay-ms']),
});
console.log(`Lob simulator on ${sim.url} (SDK basePath: ${sim.url}/v1)
  API key (basic auth user name): ${sim.apiKey}
  webhook: ${values.webhook ? `${values.webhook} (secret ${values.secret})` : '(none: pass --webhook and --secret)'}${values.auto ? '\n  letters walk created → delivered on their own' : ''}
  a letter's PDF is served at ${sim.url}/assets/letters/<ltr_id>.pdf`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
