import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take a minute or more (real agent CLIs, loops to gold, Stryker runs, Chromium):
 * started first, so the short files fill the gaps around them instead of one long file running alone
 * at the end. A fresh clone has no timing cache to go by, and vitest would start the largest files first.
 */
const SLOW_FIRST = [
  'test/engine/loop/loop.test.ts',
  'test/agents-e2e/opencode.test.ts',
  'test/cli/cli.test.ts',
  'test/engine/loop/dishonest-agents.test.ts',
  'test/engine/loop/holdout.test.ts',
  'test/agents-e2e/',
  'test/e2e/',
  'test/engine/loop/schedule-simulation.test.ts',
  'test/engine/loop/',
  'test/engine/gates/mutation-gate.test.ts',
  'test/engine/gates/canary-runners.test.ts',
  'test/engine/gates/detect-real.test.ts',
  'test/engine/gates/hints-real.test.ts',
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const file = relative(spec.project.config.root, spec.moduleId).replaceAll('\\', '/');
      const at = SLOW_FIRST.findIndex((prefix) => file.startsWith(prefix));
      return at < 0 ? SLOW_FIRST.length : at;
    };
    // Projects stay in vitest's order; within one, the slow files go first.
    const project = new Map(sorted.map((spec, i) => [spec.project.name, i]));
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => project.get(a.spec.project.name)! - project.get(b.spec.project.name)! || rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    pool: 'forks',
    // Two test files at once even on two cores (vitest's default there is one): most of a test's
    // time is spent waiting on the programs it runs (git, test runners, Stryker, agent CLIs).
    maxWorkers: 2,
    sequence: { sequencer: SlowFirst },
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
