import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AlpacaSimulator, startAlpacaSimulator } from '../../sandbox/simulators/alpaca/index.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { openCredentials } from '../../src/modules/aggregation/connections/credentials.js';
import { parseOfx } from '../../src/modules/aggregation/domain/ofx/index.js';
import { AccountPseudonyms } from '../../src/modules/aggregation/imports/pseudonyms.js';
import { aggregationModule } from '../../src/modules/aggregation/index.js';
import { connections } from '../../src/modules/aggregation/tables.js';
import { KeyRing, rotateColumn, type SealedColumn } from '../../src/providers/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accountsOf, configure, connectAlpaca, importFile, type Lender, lender } from './helpers.js';

const [credentialsColumn, tenantKeysColumn] = aggregationModule.sealed as [SealedColumn, SealedColumn];
const rotateConnectionCredentials = (db: Parameters<typeof rotateColumn>[0], ring: KeyRing) =>
  rotateColumn(db, ring, credentialsColumn);
const rotateTenantKeys = (db: Parameters<typeof rotateColumn>[0], ring: KeyRing) =>
  rotateColumn(db, ring, tenantKeysColumn);

const OLD = generateFernetKey();
const NEW = generateFernetKey();
const FILE = readFileSync(
  join(import.meta.dirname, '../../src/modules/aggregation/domain/ofx/fixtures/bank-sgml.ofx'),
);
let sim: AlpacaSimulator;
let t: TestApp;
let acme: Lender;

beforeAll(async () => {
  sim = await startAlpacaSimulator();
  t = await startTestApp({ env: { PROVIDER_ENCRYPTION_KEY: OLD } });
  acme = await lender(t, 'Acme');
  await configure(t, acme, 'alpaca', { base_url: sim.url });
  await configure(t, acme, 'chase_file', {});
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

it('`plinth keys rotate` re-seals connection credentials and the pseudonym key; account ids stay stable', async () => {
  const r = await connectAlpaca(t, acme, { key_id: sim.key.keyId, secret_key: sim.key.secretKey });
  expect(r.statusCode).toBe(201);
  expect((await importFile(t, acme, FILE)).statusCode).toBe(201);
  const [account] = await accountsOf(t, acme);

  const db = t.ctx.database.db;
  const both = KeyRing.parse(`${NEW},${OLD}`);
  expect(await rotateConnectionCredentials(db, both)).toEqual({ rotated: 1, total: 1, failed: [] });
  expect(await rotateTenantKeys(db, both)).toEqual({ rotated: 1, total: 1, failed: [] });
  expect((await rotateConnectionCredentials(db, both)).rotated).toBe(0);

  const onlyNew = KeyRing.parse(NEW);
  const rows = await db.select().from(connections);
  const alpaca = rows.find((c) => c.providerKey === 'alpaca')!;
  expect(openCredentials(onlyNew, alpaca)).toEqual({ key_id: sim.key.keyId, secret_key: sim.key.secretKey });
  const parsed = parseOfx(FILE);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const pseudonym = await new AccountPseudonyms(onlyNew).forTenant(db, acme.id);
  expect(pseudonym(parsed.value.statements[0]!.account.providerAccountId)).toBe(account!.provider_account_id);
  // Another tenant's key gives other ids for the same account.
  const other = await new AccountPseudonyms(onlyNew).forTenant(db, (await lender(t, 'Other')).id);
  expect(other(parsed.value.statements[0]!.account.providerAccountId)).not.toBe(account!.provider_account_id);
  // Rows no key opens are reported, not touched.
  expect((await rotateConnectionCredentials(db, KeyRing.parse(generateFernetKey()))).failed).toEqual([
    alpaca.id,
  ]);
});
