import { afterEach, describe, expect, it, vi } from 'vitest';
import { raceTimer } from './race.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('raceTimer', () => {
  it('gives the value of a promise that settles in time, and clears its timer', async () => {
    vi.useFakeTimers();
    const raced = raceTimer(Promise.resolve(42), 1_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(await raced).toEqual({ state: 'settled', value: 42 });
  });

  it('gives the error of a promise that rejects in time, and never rejects itself', async () => {
    const error = new Error('down');
    expect(await raceTimer(Promise.reject(error), 1_000)).toEqual({ state: 'failed', error });
    // A rejection with no reason is still a failure, not a timeout.
    expect(await raceTimer(Promise.reject(undefined), 1_000)).toEqual({ state: 'failed', error: undefined });
  });

  it('times out when the promise takes longer, and at once when no time is left', async () => {
    vi.useFakeTimers();
    const raced = raceTimer(new Promise(() => {}), 30.2);
    await vi.advanceTimersByTimeAsync(30);
    let done = false;
    void raced.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await raced).toEqual({ state: 'timed_out' });
    expect(await raceTimer(new Promise(() => {}), 0)).toEqual({ state: 'timed_out' });
    expect(vi.getTimerCount()).toBe(0);
  });
});
