import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e: the dashboard in Debian Chromium against `goldloop serve`; skips, saying why, without /usr/bin/chromium.
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
