import { describe, expect, it } from 'vitest';
import { scopeCoverage, TEST_FILE_GLOBS } from '../../../electron/engine/gates/coverage-scope.ts';
import type { CoverageReport, FileCoverage } from '../../../electron/engine/gates/parsers/types.ts';

const file = (name: string, covered: number, total: number): FileCoverage => ({
  file: name,
  lines: { covered, total, pct: Math.round((covered / total) * 10_000) / 100 },
});
const report = (files: FileCoverage[]): CoverageReport => ({
  format: 'lcov',
  files,
  totals: { lines: { covered: 0, total: 0, pct: 0 } },
});

describe('scopeCoverage', () => {
  // node:test's own coverage, as it reports a project: the tests count, and they are all covered.
  const nodeTest = report([
    file('/p/src/textkit.js', 61, 100),
    file('/p/test/textkit.test.js', 200, 200),
    file('/p/src/util.spec.js', 10, 10),
    file('/p/src/__tests__/helpers.js', 5, 5),
  ]);

  it('counts the code, not the tests: the totals are summed again over the files kept, and the others named', () => {
    const scoped = scopeCoverage(nodeTest, '/p', { exclude: TEST_FILE_GLOBS });
    expect(scoped.totals.lines).toEqual({ covered: 61, total: 100, pct: 61 });
    expect(scoped.files.map((f) => f.file)).toEqual(['/p/src/textkit.js']);
    expect(scoped.excluded).toEqual(['test/textkit.test.js', 'src/util.spec.js', 'src/__tests__/helpers.js']);
  });

  it('keeps only what include names, relative paths as written', () => {
    const scoped = scopeCoverage(report([file('lib/a.js', 1, 2), file('scripts/b.js', 0, 2)]), '/p', { include: ['lib/**'] });
    expect(scoped.totals.lines).toEqual({ covered: 1, total: 2, pct: 50 });
    expect(scoped.excluded).toEqual(['scripts/b.js']);
  });

  it('leaves the report as it is without globs, or when nothing matches them', () => {
    expect(scopeCoverage(nodeTest, '/p', {})).toBe(nodeTest);
    expect(scopeCoverage(nodeTest, '/p', { exclude: ['vendor/**'] })).toBe(nodeTest);
  });
});
