import { parseArgs } from 'node:util';
import { startTwilioSimulator } from './index.js';

// Runs the Twilio simulator standalone:
//   npx tsx sandbox/simulators/twilio/main.ts --port 4022 [--inbound http://localhost:3000/v1/webhooks/...] [--auto]
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4022' },
    inbound: { type: 'string' },
    auto: { type: 'boolean', default: false },
  },
});
const sim = await startTwilioSimulator({
  port: Number(values.port),
  numbers: [{ phoneNumber: '+15005550006', smsUrl: values.inbound }],
  lifecycle: values.auto ? 'auto' : 'manual',
});
const { accountSid, authToken } = sim.account;
console.log(`Twilio simulator on ${sim.url} (point the SDK's requests here)
  Account SID: ${accountSid}
  Auth token:  ${authToken}
  From:        ${sim.numbers[0]!.phoneNumber}${values.auto ? '\n  status callbacks: queued → sent → delivered, sent automatically' : ''}
  try: curl -u ${accountSid}:${authToken} ${sim.url}/2010-04-01/Accounts/${accountSid}/Messages.json \\
         --data-urlencode To=+15558675310 --data-urlencode From=+15005550006 --data-urlencode Body=Hello`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
