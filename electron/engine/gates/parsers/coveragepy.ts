/**
 * coverage.py's JSON report (`coverage json`). Lines and branches are kept apart: coverage.py's
 * own `percent_covered` blends the two when branch coverage is on, which would make a line
 * threshold mean something else.
 */
import { z } from 'zod';
import { isObject, noFilesMeasured, readJson, validate } from './input.ts';
import { counter, ReportError, type CoverageCounter, type CoverageReport } from './types.ts';

const EXPECTED = "an object with 'files' and 'totals' (coverage.py `coverage json`)";

const count = z.number().int().nonnegative();

// Branch fields are present only when the run measured branches (`--branch`).
const summary = z.looseObject({
  covered_lines: count,
  num_statements: count,
  num_branches: count.optional(),
  covered_branches: count.optional(),
});

const schema = z.looseObject({
  files: z.record(z.string(), z.looseObject({ summary, missing_lines: z.array(z.number().int()) })),
  totals: summary,
});

/**
 * Parses a coverage.py JSON report into line and (when measured) branch counters, with each
 * file's `missing_lines` as its uncovered lines.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, not a coverage.py report, or lists no files
 */
export function parseCoveragePy(text: string, file: string): CoverageReport {
  const data = readJson(text, file, EXPECTED);
  if (!isObject(data) || !('files' in data) || !('totals' in data)) throw new ReportError(file, `expected ${EXPECTED}`);
  const report = validate(schema, data, file, EXPECTED);
  const files = Object.entries(report.files).map(([name, entry]) => ({
    file: name,
    ...counters(entry.summary, file, name),
    uncoveredLines: [...entry.missing_lines].sort((a, b) => a - b),
  }));
  if (files.length === 0) throw noFilesMeasured(file);
  return { format: 'coveragepy', totals: counters(report.totals, file, 'totals'), files };
}

function counters(s: z.infer<typeof summary>, file: string, where: string): { lines: CoverageCounter; branches?: CoverageCounter } {
  if (s.covered_lines > s.num_statements) {
    throw new ReportError(file, `${where}: covered_lines (${s.covered_lines}) is greater than num_statements (${s.num_statements})`);
  }
  const lines = counter(s.covered_lines, s.num_statements);
  if (s.num_branches === undefined || s.covered_branches === undefined) return { lines };
  return { lines, branches: counter(s.covered_branches, s.num_branches) };
}
