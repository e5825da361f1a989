import { parseArgs } from 'node:util';
import { ConfigurationError } from '../kernel/errors.js';
import { commands } from './commands.js';

const USAGE = `Usage: plinth <command> [options]

Commands:
  serve                       Serve the HTTP API (HOST, PORT; migrations run at start)
  migrate                     Apply pending database migrations
  tenant create --name NAME   Create a tenant and print its first admin API key
  tenant key --tenant ID [--name NAME] [--role admin|operator|viewer]
                              Issue a tenant a new API key (the way back when it lost every admin key)
  keys rotate                 Re-encrypt every stored credential under the first PROVIDER_ENCRYPTION_KEY
  cob --date YYYY-MM-DD [--tenant ID]
                              Close of business through the date, for every tenant (or one), with progress
  report KEY --tenant ID [--format csv|jsonl|xlsx] [--params JSON] [--out FILE]
                              Run a report (GET /v1/reports lists them) with progress; copy it to FILE
  demo [--serve]              Tour every capability on an in-memory Plinth and the local simulators
                              (--serve keeps the demo server running afterwards and prints a console sign-in link)
  openapi                     Print the OpenAPI document the API serves at /openapi.json

Configuration is read from the environment; see README.md.`;

async function main(argv: string[]): Promise<number | undefined> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      date: { type: 'string' },
      tenant: { type: 'string' },
      role: { type: 'string' },
      serve: { type: 'boolean' },
      format: { type: 'string' },
      params: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const name = positionals.slice(0, 2).join(' ');
  const command = commands[name] ?? commands[positionals[0] ?? ''];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  return command({ ...values, positionals: positionals.slice(1) });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof ConfigurationError) {
      console.error(`plinth: ${e.message}`);
      process.exitCode = 78; // EX_CONFIG
    } else {
      console.error(e);
      process.exitCode = 1;
    }
  },
);
