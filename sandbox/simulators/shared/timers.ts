/** Timers a simulator schedules (settlements, delayed outcomes), all cancelled when it closes. */
export interface SimTimers {
  after(ms: number, fn: () => void): void;
  clear(): void;
}

export function createSimTimers(): SimTimers {
  const live = new Set<NodeJS.Timeout>();
  return {
    after: (ms, fn) => {
      const t = setTimeout(() => {
        live.delete(t);
        fn();
      }, ms);
      t.unref();
      live.add(t);
    },
    clear: () => {
      for (const t of live) clearTimeout(t);
      live.clear();
    },
  };
}
