/** How a promise fared against a timer. */
export type Raced<T> =
  | { state: 'settled'; value: T }
  | { state: 'failed'; error: unknown }
  | { state: 'timed_out' };

const TIMED_OUT = { state: 'timed_out' } as const;

/**
 * Waits for `p` for at most `ms` milliseconds, and never rejects. It takes one promise and one timer, and clears
 * the timer as soon as `p` settles. Card decisions call it several times each: `Promise.race` against a timer's
 * promise allocates more, and leaves the timer running after the race is won.
 */
export function raceTimer<T>(p: Promise<T>, ms: number): Promise<Raced<T>> {
  if (ms <= 0) return Promise.resolve(TIMED_OUT);
  return new Promise((resolve) => {
    // Whole milliseconds: Node keeps one timer list per distinct duration, and a fraction makes a new one each time.
    const timer = setTimeout(() => resolve(TIMED_OUT), Math.ceil(ms));
    p.then(
      (value) => {
        clearTimeout(timer);
        resolve({ state: 'settled', value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ state: 'failed', error });
      },
    );
  });
}
