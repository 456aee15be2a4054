// The files a mutation run mutates between gold candidates, and the Stryker config Goldloop writes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MUTATE, selectFiles } from '../../../../electron/engine/gates/mutation/globs.ts';
import { shellLine, strykerConfig } from '../../../../electron/engine/gates/mutation/stryker-config.ts';
import { StrykerSchema } from '../../../../electron/store/kb/schema.ts';

describe('the files to mutate', () => {
  it("picks the sources among changed files by Stryker's default globs: not tests, docs or declarations", () => {
    const changed = ['src/a.ts', 'src/deep/b.mjs', 'src/a.test.ts', 'src/__tests__/c.ts', 'lib/d.d.ts', 'test/e.ts', 'README.md'];
    expect(selectFiles(changed, DEFAULT_MUTATE)).toEqual(['src/a.ts', 'src/deep/b.mjs']);
  });

  it('applies each pattern in order: a later ! excludes, a later pattern includes again', () => {
    const files = ['app/x.js', 'app/gen/y.js', 'app/gen/keep.js', 'other/z.js'];
    expect(selectFiles(files, ['app/**/*.js', '!app/gen/**', 'app/gen/keep.js'])).toEqual(['app/x.js', 'app/gen/keep.js']);
    expect(selectFiles(['src/a.js'], ['./src/*.js'])).toEqual(['src/a.js']);
    expect(selectFiles(['src/a1.js', 'src/ab.js'], ['src/a[0-9].js'])).toEqual(['src/a1.js']);
  });
});

describe('the Stryker config', () => {
  const run = {
    reports: '/r',
    reportFile: '/r/mutation.json',
    mutate: ['src/a.js'],
    full: false,
    incrementalFile: '/r/stryker-incremental.json',
  };

  it("quotes what the shell would split or expand in the command runner's line", () => {
    expect(shellLine(['node', '--test', 'test/a b.js', "it's"], false)).toBe(`node --test 'test/a b.js' 'it'\\''s'`);
    expect(shellLine(['node', 'a b.js', 'x"y'], true)).toBe('node "a b.js" "x""y"');
  });

  it("keeps every file of the run outside the project and Goldloop's own keys over the KB's options", () => {
    const s = StrykerSchema.parse({
      test_runner: 'command',
      command: ['node', '--test'],
      options: { concurrency: 2, mutate: ['x'], ignorePatterns: ['dist'] },
    });
    const c = strykerConfig(s, run);
    expect(c).toMatchObject({
      concurrency: 2,
      testRunner: 'command',
      commandRunner: { command: 'node --test' },
      plugins: [],
      mutate: ['src/a.js'],
      jsonReporter: { fileName: '/r/mutation.json' },
      tempDirName: '/r/stryker-tmp',
      incrementalFile: '/r/stryker-incremental.json',
      force: false,
      disableBail: true,
      ignorePatterns: ['dist', '/.goldloop'],
    });
    const vitest = strykerConfig(StrykerSchema.parse({ test_runner: 'vitest' }), { ...run, full: true });
    expect(vitest).toMatchObject({ plugins: ['@stryker-mutator/vitest-runner'], coverageAnalysis: 'perTest', force: true });
    expect(vitest).not.toHaveProperty('commandRunner');
  });
});
