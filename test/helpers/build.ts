// Global setup of the suites under test/: the tests that start `plinth` as a process run the compiled CLI
// (test/helpers/cli.ts), so the build is brought up to date once here, before any of them starts one.
import { buildIfStale } from '../../bin/build.mjs';

export default function setup(): void {
  buildIfStale();
}
