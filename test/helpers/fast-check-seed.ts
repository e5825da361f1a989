import fc from 'fast-check';

/**
 * Every property test runs with a fixed seed by default, like the simulations (property.ts): CI explores the same
 * cases every time, so a run cannot turn red on a case nobody changed code for. `PLINTH_PROPERTY_SEED=random` (or
 * another number) explores new cases; a failure prints the seed and path that reproduce it.
 */
export const propertySeed = process.env.PLINTH_PROPERTY_SEED ?? '20261122';
if (propertySeed !== 'random') fc.configureGlobal({ seed: Number(propertySeed) });
