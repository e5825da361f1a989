import { join } from 'node:path';

/**
 * Node arguments that run the `plinth` CLI as a newcomer does (`bin/plinth.mjs`, the compiled build). The build is
 * brought up to date before the suites run (test/helpers/build.ts) and again by the CLI itself, so a test never
 * runs stale code; the compiled CLI starts in a third of the CPU time the sources take through tsx.
 */
export const CLI = [join(import.meta.dirname, '../../bin/plinth.mjs')];
