import { describe, expect, it } from 'vitest';
import { withinBudget } from './resolution.js';

describe('withinBudget', () => {
  it('passes a synchronous answer through without a timer', async () => {
    expect(await withinBudget(() => 42, 10)).toEqual({ ok: true, value: 42 });
  });

  it('passes an asynchronous answer within the budget', async () => {
    expect(await withinBudget(async () => 'yes', 50)).toEqual({ ok: true, value: 'yes' });
  });

  it('turns a throw, a rejection or an overrun into a failure', async () => {
    expect(
      await withinBudget(() => {
        throw new Error('boom');
      }, 10),
    ).toEqual({ ok: false, detail: 'resolver failed: boom' });
    expect(await withinBudget(() => Promise.reject(new Error('down')), 10)).toEqual({
      ok: false,
      detail: 'resolver failed: down',
    });
    const started = Date.now();
    expect(await withinBudget(() => new Promise(() => {}), 30)).toEqual({
      ok: false,
      detail: 'resolver took longer than 30 ms',
    });
    expect(Date.now() - started).toBeLessThan(500);
  });
});
