import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { LENDING_PRODUCTS, servicingOf } from '../../src/modules/lending/registry.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('lending products', () => {
  it('the database guard on loans.product lists exactly the registry’s products', async () => {
    const [check] = await rows<{ def: string }>(
      t.ctx.database.db,
      sql`SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
           WHERE c.conrelid = 'loans'::regclass AND c.contype = 'c'
             AND pg_get_constraintdef(c.oid) LIKE '%product%'`,
    );
    const listed = [...check!.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...LENDING_PRODUCTS].sort());
  });

  it('every program type the catalog offers is serviced, by the servicing of its own product', () => {
    const registry = t.ctx.catalog.registry('lending_program')!;
    expect([...registry.keys()].sort()).toEqual([...LENDING_PRODUCTS].sort());
    for (const key of registry.keys()) expect(servicingOf(key)?.product).toBe(key);
  });
});
