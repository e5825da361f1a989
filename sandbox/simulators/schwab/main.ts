import { parseArgs } from 'node:util';
import { startSchwabSimulator } from './index.js';

// Runs the Schwab simulator standalone: `npx tsx sandbox/simulators/schwab/main.ts --port 4010`.
const { values } = parseArgs({
  options: { port: { type: 'string', default: '4010' }, rotate: { type: 'boolean', default: false } },
});
const sim = await startSchwabSimulator({ port: Number(values.port), rotateRefreshTokens: values.rotate });
const tokens = sim.issueTokens();
const redirect = sim.client.redirectUris[0]!;
console.log(`Schwab simulator on ${sim.url}
  app key (client_id):  ${sim.client.clientId}
  app secret:           ${sim.client.clientSecret}
  callback URLs:        ${sim.client.redirectUris.join(', ')}
  authorize:            ${sim.url}/v1/oauth/authorize?client_id=${sim.client.clientId}&redirect_uri=${encodeURIComponent(redirect)}&state=demo
  a ready access token: ${tokens.accessToken}
  try: curl -H "Authorization: Bearer ${tokens.accessToken}" ${sim.url}/trader/v1/accounts/accountNumbers`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
