import { defineConfig } from 'vitest/config';

// The console's browser suite (`npm run test:browser`): Playwright drives Debian's Chromium (CHROMIUM_PATH, default
// /usr/bin/chromium) against a real Plinth on PGlite. Kept out of vitest.config.ts's projects, so `npm test` needs
// no browser.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
