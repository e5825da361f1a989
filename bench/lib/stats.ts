/** Small helpers every benchmark uses to report medians, percentiles and ratios the same way. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: readonly number[]): { p50: number; p95: number; p99: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}

/** Times `fn` n times, one sample per call, in microseconds. */
export async function sampleMicros(n: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return out;
}

export const fmt = (n: number, digits = 2): string => n.toFixed(digits);

export function header(title: string): void {
  console.log(`\n== ${title} ==  (node ${process.version}, ${new Date().toISOString()})`);
}

export const rssMb = (): number => process.memoryUsage().rss / 1024 / 1024;
