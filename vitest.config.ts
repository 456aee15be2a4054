import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // Two test files at once even on two cores (vitest's default there is one): most of a test's
    // time is spent waiting on the programs it runs (git, test runners, Stryker, agent CLIs).
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          // e2e: the dashboard in Debian Chromium against `goldloop serve`; skips, saying why, without /usr/bin/chromium.
          // electron: the desktop app in the Electron runtime; skips, saying why, without the Electron binary.
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/components/**', 'test/fixtures/**', '**/node_modules/**'],
        },
      },
      {
        // The dashboard's components, compiled by Svelte's plugin and mounted in jsdom, talking to
        // an in-memory client through the preload-bridge path (test/renderer/components/harness.ts).
        extends: true,
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'components',
          include: ['test/renderer/components/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/renderer/components/setup.ts'],
        },
      },
    ],
  },
});
