import { createContext, SEALED_COLUMNS } from '../context.js';
import { loadConfig } from '../kernel/config.js';
import { openDatabase } from '../kernel/db.js';
import { createLogger } from '../kernel/logging.js';
import { migrate } from '../kernel/migrate.js';
import { ROLES, type Role } from '../modules/tenancy/index.js';
import { loadKeyRing, rotateColumn } from '../providers/index.js';
import { closeOfBusiness } from './cob.js';
import { runDemo } from './demo/index.js';
import { printOpenApi } from './openapi.js';
import { reportCommand } from './report.js';
import { serve } from './serve.js';

type Options = {
  name?: string;
  date?: string;
  tenant?: string;
  role?: string;
  serve?: boolean;
  format?: string;
  params?: string;
  out?: string;
  /** The words after the command's first (`plinth report KEY`: [KEY]). */
  positionals?: string[];
};
type Command = (opts: Options) => Promise<number | undefined>;

async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.PLINTH_DATA_DIR });
  try {
    const { applied, alreadyApplied } = await migrate(database);
    console.log(
      `applied ${applied.length} migration(s)${applied.length ? `: ${applied.join(', ')}` : ''}; ${alreadyApplied} already applied`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function tenantCreate(opts: Options): Promise<number> {
  if (!opts.name) {
    console.error('plinth tenant create: --name is required');
    return 2;
  }
  const ctx = await createContext();
  try {
    const { tenant, apiKey } = await ctx.tenancy.tenants.createTenant({ name: opts.name }, 'cli');
    console.log(JSON.stringify({ tenant: { id: tenant.id, name: tenant.name }, api_key: apiKey }, null, 2));
    console.error('Store the API key now: it is not shown again.');
    return 0;
  } finally {
    await ctx.close();
  }
}

async function tenantKey(opts: Options): Promise<number> {
  const role = opts.role ?? 'admin';
  if (!opts.tenant || !(ROLES as readonly string[]).includes(role)) {
    console.error('plinth tenant key: --tenant ID is required, and --role is one of admin, operator, viewer');
    return 2;
  }
  const ctx = await createContext();
  try {
    const issued = await ctx.tenancy.tenants.issueKeyAsPlatformAdmin(opts.tenant, {
      name: opts.name ?? 'issued by the platform operator',
      role: role as Role,
    });
    if (!issued.ok) {
      console.error(`plinth tenant key: ${issued.error.message}`);
      return 1;
    }
    console.log(JSON.stringify({ id: issued.value.view.id, role, api_key: issued.value.apiKey }, null, 2));
    console.error('Store the API key now: it is not shown again.');
    return 0;
  } finally {
    await ctx.close();
  }
}

async function keysRotate(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const keyRing = loadKeyRing(config, logger);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.PLINTH_DATA_DIR });
  try {
    await migrate(database);
    let failed = 0;
    for (const column of SEALED_COLUMNS) {
      const r = await rotateColumn(database.db, keyRing, column);
      console.log(`${column.name}: re-encrypted ${r.rotated} of ${r.total} under the first key`);
      if (r.failed.length > 0) {
        console.error(`${column.name} no listed key opens (left untouched): ${r.failed.join(', ')}`);
        failed++;
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

export const commands: Record<string, Command> = {
  cob: closeOfBusiness,
  serve,
  migrate: migrateCommand,
  'tenant create': tenantCreate,
  'tenant key': tenantKey,
  'keys rotate': keysRotate,
  report: (opts) => reportCommand(opts.positionals?.[0], opts),
  demo: (opts) => runDemo({ serve: opts.serve }),
  openapi: printOpenApi,
};
