/** A settable clock, so tests can age tokens past 30 minutes or 7 days without waiting. */
export interface SimClock {
  now(): number;
  set(at: Date | number): void;
  advance(ms: number): void;
}

export function createSimClock(start: Date | number = Date.now()): SimClock {
  let t = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => t,
    set: (at) => {
      t = typeof at === 'number' ? at : at.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
