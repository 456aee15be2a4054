import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e: the dashboard in Debian Chromium against `goldloop serve`; skips, saying why, without /usr/bin/chromium.
    // electron: the desktop app in the Electron runtime; skips, saying why, without the Electron binary.
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/electron/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
