import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/kernel/db.js';
import { tenantChanges } from '../../src/kernel/tenant-changes.js';
import { testDatabaseUrl } from '../helpers/database.js';

const opened: { database: Database; drop: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const { database, drop } of opened.splice(0)) {
    await database.close();
    await drop();
  }
});

describe('tenant changes across processes', () => {
  it('drops here at once, there through NOTIFY, and never here again on its own echo', async () => {
    const { url, drop } = await testDatabaseUrl();
    const database = await openDatabase({ url, dataDir: '/tmp/plinth-test-unused' });
    opened.push({ database, drop });
    // Two caches on one database stand for two processes.
    const here: string[] = [];
    const there: string[] = [];
    const a = await tenantChanges(database, 'plinth_test_changes', (t) => here.push(t));
    const b = await tenantChanges(database, 'plinth_test_changes', (t) => there.push(t));
    await a.changed('tenant-1');
    expect(here).toEqual(['tenant-1']);
    await expect.poll(() => there).toEqual(['tenant-1']);
    await b.changed('tenant-2');
    await expect.poll(() => here).toEqual(['tenant-1', 'tenant-2']);
    // Let any late echo arrive: a's own notice for tenant-1 never drops it a second time.
    await new Promise((r) => setTimeout(r, 200));
    expect(here).toEqual(['tenant-1', 'tenant-2']);
    expect(there).toEqual(['tenant-1', 'tenant-2']);
    await a.unlisten();
    await b.unlisten();
  });
});
