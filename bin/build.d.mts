/** The repository's root directory. */
export const root: string;
/** Builds dist/ again where a source is newer than the last build (bin/build.mjs). */
export function buildIfStale(): void;
