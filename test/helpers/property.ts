import { propertySeed } from './fast-check-seed.js';

/**
 * fast-check settings for the long store-versus-replay simulations. They run with a fixed seed by default, so CI
 * explores the same portfolios every time and their coverage checks ("a late fee was charged", "an over-limit draw
 * was refused") cannot flake. `PLINTH_PROPERTY_SEED=random` (or another number) explores new portfolios;
 * `PLINTH_PROPERTY_RUNS` changes how many. A failure prints its seed and path, which reproduce it.
 */
export function simulationRuns(defaultRuns: number): { numRuns: number; seed?: number; endOnFailure: true } {
  const seed = propertySeed;
  const runs = Number(process.env.PLINTH_PROPERTY_RUNS ?? defaultRuns);
  return { numRuns: runs, ...(seed !== 'random' && { seed: Number(seed) }), endOnFailure: true };
}
