/**
 * Istanbul JSON coverage: the `json-summary` reporter's `coverage-summary.json` (ready-made
 * counters) and the `json` reporter's `coverage-final.json` (raw hit maps, from which the
 * counters are computed the way istanbul's own reporters compute them).
 */
import { z } from 'zod';
import { isObject, noFilesMeasured, readJson, validate } from './input.ts';
import { counter, ReportError, type CoverageReport, type FileCoverage } from './types.ts';

const SUMMARY = "an object with a 'total' entry (istanbul json-summary reporter, coverage-summary.json)";
const FINAL = 'an object of per-file hit maps (istanbul json reporter, coverage-final.json)';

const hits = z.number().int().nonnegative();

// Only covered/total are read: `pct` is recomputed (istanbul writes "Unknown" for an empty total).
const metric = z.looseObject({ total: hits, covered: hits });
const summaryEntry = z.looseObject({ lines: metric, statements: metric, functions: metric, branches: metric });
const summarySchema = z.record(z.string(), summaryEntry);

/**
 * Parses istanbul's `coverage-summary.json`.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, not a json-summary report, or lists no files
 */
export function parseIstanbulSummary(text: string, file: string): CoverageReport {
  const data = readJson(text, file, SUMMARY);
  if (!isObject(data) || !('total' in data)) {
    const hint = isObject(data) && looksLikeFinal(data) ? ' (this looks like coverage-final.json: use the istanbul-final format)' : '';
    throw new ReportError(file, `expected ${SUMMARY}${hint}`);
  }
  const entries = validate(summarySchema, data, file, SUMMARY);
  const toCounters = (entry: z.infer<typeof summaryEntry>) => ({
    lines: counter(entry.lines.covered, entry.lines.total),
    statements: counter(entry.statements.covered, entry.statements.total),
    functions: counter(entry.functions.covered, entry.functions.total),
    branches: counter(entry.branches.covered, entry.branches.total),
  });
  const { total, ...perFile } = entries;
  const files = Object.entries(perFile).map(([path, entry]) => ({ file: path, ...toCounters(entry) }));
  if (files.length === 0) throw noFilesMeasured(file);
  return { format: 'istanbul-summary', totals: toCounters(total!), files };
}

const position = z.looseObject({ line: z.number().int() });
const fileSchema = z.looseObject({
  path: z.string().optional(),
  statementMap: z.record(z.string(), z.looseObject({ start: position })),
  s: z.record(z.string(), hits),
  f: z.record(z.string(), hits),
  b: z.record(z.string(), z.array(hits)),
});
const finalSchema = z.record(z.string(), fileSchema);

/**
 * Parses istanbul's `coverage-final.json`. Lines are derived from where statements start, and a
 * line counts as covered when any statement starting on it ran, as istanbul's reporters do.
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not JSON, not a coverage-final report, or lists no files
 */
export function parseIstanbulFinal(text: string, file: string): CoverageReport {
  const data = readJson(text, file, FINAL);
  if (!isObject(data)) throw new ReportError(file, `expected ${FINAL}`);
  if (isObject(data.total) && 'lines' in data.total) {
    throw new ReportError(file, `expected ${FINAL} (this looks like coverage-summary.json: use the istanbul-summary format)`);
  }
  const entries = validate(finalSchema, data, file, FINAL);
  const files = Object.entries(entries).map(([key, entry]) => fileFromHits(entry.path ?? key, entry, file));
  if (files.length === 0) throw noFilesMeasured(file);
  const sum = (pick: (f: FileCoverage) => { covered: number; total: number } | undefined) => {
    let covered = 0;
    let total = 0;
    for (const f of files) {
      covered += pick(f)?.covered ?? 0;
      total += pick(f)?.total ?? 0;
    }
    return counter(covered, total);
  };
  return {
    format: 'istanbul-final',
    totals: {
      lines: sum((f) => f.lines),
      statements: sum((f) => f.statements),
      functions: sum((f) => f.functions),
      branches: sum((f) => f.branches),
    },
    files,
  };
}

function fileFromHits(path: string, entry: z.infer<typeof fileSchema>, file: string): FileCoverage {
  const lineHits = new Map<number, number>();
  for (const [id, count] of Object.entries(entry.s)) {
    const location = entry.statementMap[id];
    if (location === undefined) {
      throw new ReportError(file, `${path}: statement '${id}' has hits but no entry in statementMap`);
    }
    const line = location.start.line;
    lineHits.set(line, Math.max(lineHits.get(line) ?? 0, count));
  }
  const uncoveredLines = [...lineHits]
    .filter(([, count]) => count === 0)
    .map(([line]) => line)
    .sort((a, b) => a - b);
  const statements = Object.values(entry.s);
  const functions = Object.values(entry.f);
  const branches = Object.values(entry.b).flat();
  const coveredOf = (counts: number[]) => counts.filter((count) => count > 0).length;
  return {
    file: path,
    lines: counter(lineHits.size - uncoveredLines.length, lineHits.size),
    statements: counter(coveredOf(statements), statements.length),
    functions: counter(coveredOf(functions), functions.length),
    branches: counter(coveredOf(branches), branches.length),
    uncoveredLines,
  };
}

function looksLikeFinal(data: Record<string, unknown>): boolean {
  return Object.values(data).some((value) => isObject(value) && 'statementMap' in value);
}
