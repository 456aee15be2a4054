/**
 * Shared result shapes of the report parsers. Every parser takes the report's text (or a path,
 * for the streaming ones) and returns one of these, or throws a `ReportError` that names the file
 * and the reason. Parsers never touch the loop: the gate that calls one turns a `ReportError`
 * into a failed checklist line.
 */

/** A covered/total pair; `pct` is 0..100 with two decimals, 100 when total is 0. */
export interface CoverageCounter {
  covered: number;
  total: number;
  pct: number;
}

export interface FileCoverage {
  file: string;
  lines?: CoverageCounter;
  branches?: CoverageCounter;
  functions?: CoverageCounter;
  statements?: CoverageCounter;
  /** Line numbers with zero hits, where the format has them. */
  uncoveredLines?: number[];
}

export interface CoverageReport {
  format: 'lcov' | 'istanbul-summary' | 'istanbul-final' | 'cobertura' | 'coveragepy' | 'gocover' | 'jacoco';
  totals: {
    lines?: CoverageCounter;
    branches?: CoverageCounter;
    functions?: CoverageCounter;
    statements?: CoverageCounter;
  };
  files: FileCoverage[];
  /** Files of the report the coverage gate's include/exclude globs left out (coverage-scope.ts). */
  excluded?: string[];
}

export type TestStatus = 'passed' | 'failed' | 'errored' | 'skipped';

export interface TestCase {
  /** The test's own name (the JUnit `name` attribute). */
  name: string;
  /** Suite or class name, when the format has one. */
  classname?: string;
  /** Source file, when the report says. */
  file?: string;
  /** The enclosing suite's name (JUnit `<testsuite name>`), for display only: node:test's classname is always "test". */
  suite?: string;
  status: TestStatus;
  durationMs?: number;
  /** First line of the failure message for failed/errored tests. */
  message?: string;
  /** How many assertions it made, where the report says (PHPUnit and minitest write `assertions`). */
  assertions?: number;
  /** Requirement tags such as `[REQ-012]` found next to the test in its source file. */
  tags?: string[];
  /**
   * Not a test: a test file the runner could not collect (pytest writes one errored testcase per
   * such file, named by its module); `file` is that file, `message` the error (`ModuleNotFoundError: ...`).
   */
  collectionError?: true;
}

export interface TestReport {
  format: 'junit' | 'jest-json' | 'go-test-json';
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  tests: TestCase[];
}

/** Names that say nothing about where a test is: node:test's classname, pytest's and mocha's root suite. */
const SAYS_NOTHING = new Set(['test', 'pytest', 'Mocha Tests', 'root']);
const fileLike = (s: string): boolean => /[/\\]/.test(s) || /\.(c|m)?[jt]sx?$|\.(py|go|rb|java|kt|rs|cs)$/.test(s);

/**
 * A test as people look for it: its suite and its file with its name, `calc > sign of zero
 * (test/calc.test.js)`, since the same name is often in several files.
 */
export function testLabel(t: TestCase): string {
  const file = t.file ?? [t.classname, t.suite].find((s) => s !== undefined && fileLike(s));
  const group = [t.classname, t.suite].find((s) => s && s !== file && !SAYS_NOTHING.has(s) && !fileLike(s) && !t.name.startsWith(`${s} `));
  return `${group ? `${group} > ` : ''}${t.name}${file ? ` (${file})` : ''}`;
}

/** A report of `tests`, counted by status. */
export function testReport(format: TestReport['format'], tests: TestCase[]): TestReport {
  const count = (s: TestStatus): number => tests.filter((t) => t.status === s).length;
  return { format, passed: count('passed'), failed: count('failed'), errored: count('errored'), skipped: count('skipped'), tests };
}

export type Severity = 'critical' | 'high' | 'moderate' | 'low' | 'info' | 'unknown';

export interface SecurityFinding {
  id: string;
  severity: Severity;
  /** Package, file or rule the finding is about. */
  subject: string;
  title: string;
  /** Fixed version or remediation text, when the report has one. */
  fix?: string;
}

export interface SecurityReport {
  format: 'npm-audit' | 'osv' | 'pip-audit' | 'sarif';
  findings: SecurityFinding[];
  /** Count per severity, every key present. */
  counts: Record<Severity, number>;
}

/** The mutation-testing-report schema's statuses, which every mutation parser maps its tool's to. */
export const MUTANT_STATUSES = ['Killed', 'Survived', 'NoCoverage', 'Timeout', 'CompileError', 'RuntimeError', 'Ignored'] as const;
export type MutantStatus = (typeof MUTANT_STATUSES)[number];

export interface Mutant {
  /** As the report names it, usually relative to the project. */
  file: string;
  line?: number;
  /** The mutation's kind (Stryker's mutator, cargo-mutants' genre, PIT's mutator; mutmut's mutant name). */
  mutator: string;
  /** The code after the mutation, when the report says. */
  replacement?: string;
  status: MutantStatus;
  /** The names of the tests that failed on this mutant; undefined when the report does not say. */
  killedBy?: string[];
}

export interface MutationReport {
  format: 'stryker' | 'mutmut' | 'cargo-mutants' | 'pit';
  mutants: Mutant[];
  /** Count per status, every key present. */
  counts: Record<MutantStatus, number>;
  /**
   * Killed and timed-out mutants over the valid ones (those that compiled, ran and were not
   * ignored), in percent with two decimals; null when no mutant was valid.
   */
  score: number | null;
  /** Every killed mutant names the tests that killed it: what the requirements line needs. */
  killers: boolean;
}

/** Counts, score and whether the killers are known, from the mutants a parser read. */
export function mutationReport(format: MutationReport['format'], mutants: Mutant[]): MutationReport {
  const counts = Object.fromEntries(MUTANT_STATUSES.map((s) => [s, 0])) as Record<MutantStatus, number>;
  for (const m of mutants) counts[m.status]++;
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return {
    format,
    mutants,
    counts,
    score: valid === 0 ? null : Math.round((detected / valid) * 10_000) / 100,
    killers: mutants.every((m) => m.status !== 'Killed' || m.killedBy !== undefined),
  };
}

/** A report that cannot be read or understood. `file` is the path as given to the parser. */
export class ReportError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ReportError';
    this.file = file;
    this.reason = reason;
  }
}

/** Rounds a percentage to two decimals; an empty total counts as fully covered. */
export function counter(covered: number, total: number): CoverageCounter {
  const pct = total === 0 ? 100 : Math.round((covered / total) * 10_000) / 100;
  return { covered, total, pct };
}
