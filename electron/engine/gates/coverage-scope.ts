/**
 * Coverage of the code, not of the tests: a report's files narrowed by the coverage gate's
 * `include` and `exclude` globs (paths relative to the project), and its totals summed again over
 * the files kept. node:test's own coverage, for one, counts the test files too.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { CoverageCounter, CoverageReport, FileCoverage } from './parsers/types.ts';

/** Test files as the usual layouts name them: what `init` excludes for node:test's own coverage. */
export const TEST_FILE_GLOBS = ['test/**', 'tests/**', '**/__tests__/**', '**/*.test.*', '**/*.spec.*'];

/** A glob as a regular expression: `**` any folders, `*` within one name, `?` one character. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches no folder too.
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const COUNTERS = ['lines', 'branches', 'functions', 'statements'] as const;

function sum(files: FileCoverage[], key: (typeof COUNTERS)[number]): CoverageCounter | undefined {
  const counted = files.map((f) => f[key]).filter((c): c is CoverageCounter => c !== undefined);
  if (!counted.length) return undefined;
  const covered = counted.reduce((n, c) => n + c.covered, 0);
  const total = counted.reduce((n, c) => n + c.total, 0);
  return { covered, total, pct: total === 0 ? 100 : Math.round((covered / total) * 10_000) / 100 };
}

/** The report over the files the globs keep, with the files left out; unchanged without globs or per-file data. */
export function scopeCoverage(
  report: CoverageReport,
  projectDir: string,
  globs: { include?: string[]; exclude?: string[] },
): CoverageReport {
  if ((!globs.include?.length && !globs.exclude?.length) || report.files.length === 0) return report;
  const include = (globs.include ?? []).map(globToRegExp);
  const exclude = (globs.exclude ?? []).map(globToRegExp);
  const kept: FileCoverage[] = [];
  const excluded: string[] = [];
  for (const f of report.files) {
    const path = (isAbsolute(f.file) ? relative(projectDir, f.file) : f.file).split(sep).join('/');
    const inScope = (!include.length || include.some((r) => r.test(path))) && !exclude.some((r) => r.test(path));
    if (inScope) kept.push(f);
    else excluded.push(path);
  }
  if (!excluded.length) return report;
  const totals: CoverageReport['totals'] = {};
  for (const key of COUNTERS) {
    const s = sum(kept, key);
    if (s) totals[key] = s;
  }
  return { ...report, files: kept, totals, excluded };
}
