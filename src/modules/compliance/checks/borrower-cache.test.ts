import { describe, expect, it } from 'vitest';
import type { BorrowerFacts } from '../domain/index.js';
import { BorrowerCache } from './borrower-cache.js';

const facts = (state: string): BorrowerFacts => ({ name: { full: 'Ada' }, state, timeZones: [] });

describe('BorrowerCache', () => {
  it('reads a customer once until its tenant is invalidated', async () => {
    const cache = new BorrowerCache();
    let loads = 0;
    const load = async () => {
      loads++;
      return facts(loads === 1 ? 'TX' : 'NY');
    };
    expect((await cache.get('t1', 'c1', load))?.state).toBe('TX');
    expect((await cache.get('t1', 'c1', load))?.state).toBe('TX');
    expect(loads).toBe(1);
    cache.invalidate('t2');
    expect((await cache.get('t1', 'c1', load))?.state).toBe('TX');
    cache.invalidate('t1');
    expect((await cache.get('t1', 'c1', load))?.state).toBe('NY');
    expect(loads).toBe(2);
  });

  it('answers a load that raced an invalidation but does not keep it, nor an unknown customer', async () => {
    const cache = new BorrowerCache();
    let release!: () => void;
    const slow = cache.get('t1', 'c1', async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      return facts('TX');
    });
    await Promise.resolve();
    cache.invalidate('t1');
    release();
    expect((await slow)?.state).toBe('TX');
    expect((await cache.get('t1', 'c1', async () => facts('NY')))?.state).toBe('NY');
    expect(await cache.get('t1', 'gone', async () => undefined)).toBeUndefined();
    expect((await cache.get('t1', 'gone', async () => facts('CA')))?.state).toBe('CA');
  });
});
