import { runCardCli } from '../shared/card-cli.js';

// Fires a stripe scenario at a relay URL, e.g.
//   npx tsx sandbox/simulators/stripe-issuing/main.ts --self --scenario lifecycle
//   npx tsx sandbox/simulators/stripe-issuing/main.ts --url http://localhost:3000/v1/card-authorizations/relay/<id> --secret <secret>
process.exitCode = await runCardCli('stripe');
