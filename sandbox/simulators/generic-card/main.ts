import { runCardCli } from '../shared/card-cli.js';

// Fires a generic scenario at a relay URL, e.g.
//   npx tsx sandbox/simulators/generic-card/main.ts --self --scenario lifecycle
//   npx tsx sandbox/simulators/generic-card/main.ts --url http://localhost:3000/v1/card-authorizations/relay/<id> --secret <secret>
process.exitCode = await runCardCli('generic');
