import { parseArgs } from 'node:util';
import { startAlpacaSimulator } from './index.js';

// Runs the Alpaca simulator standalone: `npx tsx sandbox/simulators/alpaca/main.ts --port 4011`.
const { values } = parseArgs({ options: { port: { type: 'string', default: '4011' } } });
const sim = await startAlpacaSimulator({ port: Number(values.port) });
console.log(`Alpaca simulator on ${sim.url} (use it as the paper or the live base URL)
  APCA-API-KEY-ID:     ${sim.key.keyId}
  APCA-API-SECRET-KEY: ${sim.key.secretKey}
  try: curl -H "APCA-API-KEY-ID: ${sim.key.keyId}" -H "APCA-API-SECRET-KEY: ${sim.key.secretKey}" "${sim.url}/v2/account/activities?page_size=5"`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
