import { parseArgs } from 'node:util';
import { startSendGridSimulator } from './index.js';

// Runs the SendGrid simulator standalone:
//   npx tsx sandbox/simulators/sendgrid/main.ts --port 4021 [--webhook http://localhost:3000/v1/webhooks/...] [--auto]
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4021' },
    webhook: { type: 'string' },
    auto: { type: 'boolean', default: false },
  },
});
const sim = await startSendGridSimulator({
  port: Number(values.port),
  eventWebhookUrl: values.webhook,
  lifecycle: values.auto ? 'auto' : 'manual',
});
console.log(`SendGrid simulator on ${sim.url} (use it as the client's baseUrl)
  API key:                       ${sim.apiKey}
  Event Webhook verification key: ${sim.publicKey}
  events:                        ${values.webhook ?? '(no webhook URL: pass --webhook)'}${values.auto ? ' (processed + delivered sent automatically)' : ''}
  try: curl -i -X POST ${sim.url}/v3/mail/send -H "Authorization: Bearer ${sim.apiKey}" -H "Content-Type: application/json" \\
         -d '{"personalizations":[{"to":[{"email":"a@example.com"}]}],"from":{"email":"b@example.com"},"subject":"Hi","content":[{"type":"text/plain","value":"Hello"}]}'`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
