import { propertySeed } from './fast-check-seed.js';

/**
 * fast-check settings for the long store-versus-replay simulations. They run with a fixed seed by default, so CI
 * explores the same portfolios every time and their coverage checks ("a late fee was charged", "an over-limit draw
 * was refused") cannot flake. `PLINTH_PROPERTY_SEED=random` (or another number) explores new portfolios;
 * `PLINTH_PROPERTY_RUNS` changes how many. A failure prints its seed and path, which reproduce it.
 *
 * The coverage checks are stated for the default count: fewer runs (CI's PGlite lane, which leaves the full count
 * to the PostgreSQL lane running the same simulations) still compare every portfolio they draw, but may not reach
 * every kind, so `coverage` is false and the test skips those checks.
 */
export function simulation(defaultRuns: number): {
  params: { numRuns: number; seed?: number; endOnFailure: true };
  coverage: boolean;
} {
  const seed = propertySeed;
  const runs = Number(process.env.PLINTH_PROPERTY_RUNS ?? defaultRuns);
  return {
    params: { numRuns: runs, ...(seed !== 'random' && { seed: Number(seed) }), endOnFailure: true },
    coverage: runs >= defaultRuns,
  };
}
