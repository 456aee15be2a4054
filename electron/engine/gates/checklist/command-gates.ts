/**
 * The checklist lines of the command gates (tests, coverage, security, performance, build), each
 * judged from its command's run: a command that did not run, timed out or was interrupted fails
 * its line whatever its report says.
 */
import type {
  BuildGateConfig,
  Kb,
  MeasuringBuild,
  MeasuringPerformance,
  MeasuringSecurity,
  PerformanceGateConfig,
  SecurityGateConfig,
  TestsGateConfig,
} from '../../../store/kb/schema.ts';
import type { RunResult } from '../../../platform/process.ts';
import type { CommandRun, PerformanceRun, SecurityRun, TestsRun } from '../measurement.ts';
import { failingFindings } from '../parsers/severity.ts';
import { testLabel, type TestCase } from '../parsers/types.ts';
import type { ChecklistItem, Evidence, GateId } from '../types.ts';
import { disabled, item } from './line.ts';
import { testReportOf } from '../test-report-config.ts';
import { collectionFix, coverageHint, resultsHint } from './hints.ts';
import type { HintFacts } from '../hint-facts.ts';
import { joinCommandLine } from '../../../contract/command-line.ts';

export function commandFailure(result: RunResult | undefined, timeoutMinutes: number, what: string): string | undefined {
  if (!result) return `the ${what} did not run`;
  if (result.spawnError) return result.spawnError;
  if (result.killedBy === 'timeout') return `the ${what} timed out after ${timeoutMinutes} min`;
  if (result.killedBy === 'abort') return `the ${what} was interrupted`;
  return undefined;
}

/** What a failing command's output usually means, and what to do about it. */
const LIKELY_FIXES: [RegExp, string][] = [
  [
    /npx canceled due to missing packages|could not determine executable to run|command not found|No such file or directory.*(npx|node_modules)/i,
    "a program the command runs is not installed: install the project's dependencies (npm ci, pnpm install, pip install -r ...), then measure again",
  ],
  [
    /unrecognized arguments: --cov/,
    'pytest-cov is not installed where the command runs (pip install pytest-cov), or take the --cov options out of gates.tests.command',
  ],
  [
    /ModuleNotFoundError|No module named|Cannot find module|ERR_MODULE_NOT_FOUND/,
    "a module the tests import is missing: install the project's dependencies (or the package itself, for a src layout: pip install -e .)",
  ],
  [
    /ENOENT|no such file or directory/i,
    'a file or folder the command names does not exist: check the paths in the command and that it runs from the project folder',
  ],
];

/** Output lines as a person reads them: trimmed, no blank lines, none longer than 200 characters. */
const readable = (lines: string[]): string[] =>
  lines
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l.length > 200 ? `${l.slice(0, 199)}…` : l));

/** The lines of a failed command's output that say why: its last error line, else its last three lines, trimmed. */
function telling(lines: string[]): string[] {
  const error = [...lines]
    .reverse()
    .find((l) => /\b\w*(Error|Exception)\b|\berror\b|canceled|unrecognized|not found/i.test(l) && !/^at\s/.test(l));
  return error ? [error] : lines.slice(-3);
}

/** Why a command failed, from its output: the telling lines, one a line. */
export function whyFailed(result: RunResult): string {
  return telling(readable([...result.stderrTail, ...result.stdoutTail])).join('\n');
}

/**
 * A report the command did not write, with why: the command's exit code, the lines of its output
 * that say what went wrong (they were hidden behind "not found"), and the likely fix.
 */
export function missingReport(detail: string, result: RunResult): string {
  if (result.exitCode === 0 || result.exitCode === null) return detail;
  const lines = readable([...result.stderrTail, ...result.stdoutTail]);
  const said = telling(lines);
  const fix = LIKELY_FIXES.find(([pattern]) => lines.some((l) => pattern.test(l)))?.[1];
  return `${detail}; the command exited with code ${result.exitCode}${said.length ? `: ${said.join('\n')}` : ' and printed nothing'}${fix ? `\n— ${fix}` : ''}`;
}

/** Benchmark figures as people read them: three significant digits, no float noise. */
const figure = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3))));

export const baseEvidence = (command: string[], run: CommandRun | undefined, report?: string): Evidence => ({
  command,
  exit_code: run?.result.exitCode ?? null,
  ...(run ? { duration_ms: run.result.durationMs } : {}),
  ...(report ? { report } : {}),
  detail: '',
});

export const notMeasured = (id: GateId, command: string[]): ChecklistItem =>
  item(id, false, null, null, { command, detail: 'not measured yet: run `goldloop gates` or `goldloop run`' });

/** Test files the runner could not collect: which, the first error, and its fix word for word. */
function notCollected(uncollected: TestCase[], command: string[], hints: HintFacts | undefined): string {
  const files = uncollected.map((t) => t.file ?? t.name);
  const first = uncollected.find((t) => t.message)?.message;
  const fix = collectionFix(first, command, hints);
  return `could not collect ${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}${first ? `: ${first}` : ''}${fix ? `\n— ${fix}` : ''}`;
}

export function testsItem(kb: Kb, config: TestsGateConfig | undefined, run: TestsRun | undefined): ChecklistItem {
  const mustPass = kb.autonomous_operation.quality_gates.all_tests_must_pass;
  if (!config)
    return item('tests', false, null, 'all passing', {
      detail: 'no test command configured: set gates.tests.command in .ai-knowledge-base.json',
    });
  if (!config.enabled) return disabled('tests', 'tests');
  if (!run) return { ...notMeasured('tests', config.command), threshold: 'all passing' };
  const base = baseEvidence(config.command, run, run.junitCopy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'test command');
  if (failure) return item('tests', false, null, 'all passing', { ...base, detail: failure });
  const exit = run.result.exitCode;
  if (!testReportOf(config)) {
    const ok = exit === 0;
    return item('tests', ok || !mustPass, ok ? 'exit 0' : `exit ${String(exit)}`, 'exit 0', {
      ...base,
      // Without per-test results a failing run does not say which tests fail: the hint follows its own words.
      detail: `${
        ok
          ? 'the test command passed (no per-test report configured, junit_report or test_report, so no per-test counts)'
          : whyFailed(run.result) || 'the test command failed'
      }\n— for per-test results: ${resultsHint(config.command)}`,
    });
  }
  if (!run.report)
    return item('tests', false, null, 'all passing', {
      ...base,
      detail: missingReport(run.reportError ?? 'no per-test report', run.result),
    });
  const r = run.report;
  const uncollected = r.tests.filter((t) => t.collectionError);
  const total = r.passed + r.failed + r.errored - uncollected.length;
  const counts = `${r.passed}/${total} passing${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  const failing = r.tests.filter((t) => (t.status === 'failed' || t.status === 'errored') && !t.collectionError);
  let passed = failing.length === 0 && uncollected.length === 0 && total > 0 && exit === 0;
  let value = counts;
  let detail: string;
  if (uncollected.length) {
    const errors = `${uncollected.length} collection error${uncollected.length > 1 ? 's' : ''}`;
    value = total > 0 ? `${errors}, ${counts}` : errors;
    detail = notCollected(uncollected, config.command, run.hints);
    if (failing.length)
      detail += `\nfailing: ${failing.slice(0, 5).map(testLabel).join('; ')}${failing.length > 5 ? ` and ${failing.length - 5} more` : ''}`;
  } else if (total === 0) detail = 'the report lists no tests that ran';
  else if (failing.length > 0)
    detail = `failing: ${failing.slice(0, 5).map(testLabel).join('; ')}${failing.length > 5 ? ` and ${failing.length - 5} more` : ''}`;
  else if (exit !== 0) detail = `the report shows no failures, but the test command exited with code ${String(exit)}`;
  else detail = `${r.passed} passed`;
  if (!mustPass && total > 0) {
    passed = true;
    detail += ' (not required: quality_gates.all_tests_must_pass is false)';
  }
  const stale = run.junitNotRead ?? [];
  if (stale.length)
    detail += `; not read, left from before this run: ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}`;
  return item('tests', passed, value, 'all passing', { ...base, detail });
}

export function coverageItem(kb: Kb, config: TestsGateConfig | undefined, run: TestsRun | undefined): ChecklistItem {
  const threshold = kb.autonomous_operation.quality_gates.test_coverage_threshold;
  if (config && !config.enabled) return disabled('coverage', 'tests');
  if (!config?.coverage_report) {
    return item('coverage', false, null, threshold, {
      detail: `no coverage report configured: ${config ? coverageHint(config.command, run?.hints) : 'set gates.tests.command first'}`,
    });
  }
  if (!run) return { ...notMeasured('coverage', config.command), threshold };
  const base = baseEvidence(config.command, run, run.coverageCopy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'test command');
  if (failure) return item('coverage', false, null, threshold, { ...base, detail: failure });
  const uncollected = run.report?.tests.filter((t) => t.collectionError).length ?? 0;
  if (!run.coverage && uncollected)
    return item('coverage', false, null, threshold, {
      ...base,
      detail: `${run.coverageError ?? 'no coverage report'}: the test run stopped at ${uncollected} collection error${uncollected > 1 ? 's' : ''} (the tests line says which, and the fix)`,
    });
  if (!run.coverage) {
    const error = run.coverageError ?? 'no coverage report';
    // A report command that failed (coverage xml with no data) says more than the test command.
    const after = run.reportResult && run.reportResult.exitCode !== 0 ? run.reportResult : undefined;
    return item('coverage', false, null, threshold, {
      ...base,
      detail: after
        ? missingReport(`${error}; gates.tests.report_command (${joinCommandLine(after.argv)}) failed`, after)
        : missingReport(error, run.result),
    });
  }
  const t = run.coverage.totals;
  const lines = t.lines ?? t.statements;
  if (!lines) return item('coverage', false, null, threshold, { ...base, detail: 'the coverage report has no line or statement totals' });
  const parts = [
    `${t.lines ? 'lines' : 'statements'} ${lines.pct}%`,
    t.branches ? `branches ${t.branches.pct}%` : 'branches not reported',
    t.functions ? `functions ${t.functions.pct}%` : 'functions not reported',
  ];
  const excluded = run.coverage.excluded ?? [];
  const left = excluded.length
    ? `; not counted: ${excluded.length} file(s) the gate excludes (${excluded.slice(0, 3).join(', ')}${excluded.length > 3 ? ', ...' : ''})`
    : '';
  return item('coverage', lines.pct >= threshold, lines.pct, threshold, {
    ...base,
    detail: `${parts.join(', ')} (${lines.covered}/${lines.total})${left}`,
  });
}

export function securityItem(kb: Kb, gate: SecurityGateConfig | undefined, run: SecurityRun | undefined): ChecklistItem {
  if (!kb.autonomous_operation.quality_gates.security_scan_must_pass) {
    return item('security', true, 'not required', null, { detail: 'not required: quality_gates.security_scan_must_pass is false' });
  }
  if (!gate)
    return item('security', false, null, 'no high or critical', {
      detail:
        'no security scan configured: set gates.security { command, report: { format, path } } (npm audit --json, osv-scanner, pip-audit or any SARIF tool)',
    });
  if (!gate.enabled) return disabled('security', 'security');
  // Switched on, so its command and report are there (the KB schema refuses it otherwise).
  const config = gate as MeasuringSecurity;
  const threshold = `no ${config.fail_on} or worse`;
  if (!run) return { ...notMeasured('security', config.command), threshold };
  const base = baseEvidence(config.command, run, run.copy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'security scan');
  if (failure) return item('security', false, null, threshold, { ...base, detail: failure });
  if (!run.report)
    return item('security', false, null, threshold, { ...base, detail: missingReport(run.error ?? 'no report', run.result) });
  const failing = failingFindings(run.report, config.fail_on, { unknownFails: config.unknown_fails });
  const c = run.report.counts;
  const summary = `${run.report.findings.length} finding(s): ${c.critical} critical, ${c.high} high, ${c.moderate} moderate, ${c.low} low${c.unknown ? `, ${c.unknown} unrated` : ''}`;
  return item('security', failing.length === 0, failing.length, threshold, {
    ...base,
    detail: failing.length
      ? `${summary}; failing: ${failing
          .slice(0, 5)
          .map((f) => `${f.id} (${f.severity}, ${f.subject})`)
          .join('; ')}`
      : summary,
  });
}

export function performanceItem(gate: PerformanceGateConfig | undefined, run: PerformanceRun | undefined): ChecklistItem {
  if (!gate)
    return item('performance', false, null, null, {
      detail: 'no benchmark configured: set gates.performance { command, thresholds: { metric: { max | min } } }',
    });
  if (!gate.enabled) return disabled('performance', 'performance');
  const config = gate as MeasuringPerformance;
  const names = Object.keys(config.thresholds);
  const threshold = `${names.length} metric(s) within limits`;
  if (!run) return { ...notMeasured('performance', config.command), threshold };
  const base = baseEvidence(config.command, run, run.copy);
  const failure = commandFailure(run.result, config.timeout_minutes, 'benchmark');
  if (failure) return item('performance', false, null, threshold, { ...base, detail: failure });
  if (run.result.exitCode !== 0)
    return item('performance', false, null, threshold, {
      ...base,
      detail: `the benchmark exited with code ${String(run.result.exitCode)}: ${whyFailed(run.result)}`,
    });
  if (!run.metrics)
    return item('performance', false, null, threshold, { ...base, detail: missingReport(run.error ?? 'no metrics', run.result) });
  const verdicts = names.map((name) => {
    const v = run.metrics![name];
    const limit = config.thresholds[name]!;
    if (v === undefined) return { name, ok: false, text: `${name} missing from the output` };
    const ok = (limit.max === undefined || v <= limit.max) && (limit.min === undefined || v >= limit.min);
    const bounds = [limit.min !== undefined ? `>= ${limit.min}` : '', limit.max !== undefined ? `<= ${limit.max}` : '']
      .filter(Boolean)
      .join(', ');
    return { name, ok, text: `${name} ${figure(v)} (${bounds})` };
  });
  const met = verdicts.filter((v) => v.ok).length;
  return item('performance', met === names.length, `${met}/${names.length} met`, threshold, {
    ...base,
    detail: verdicts.map((v) => `${v.ok ? '' : 'MISSED '}${v.text}`).join('; '),
  });
}

export function buildItem(gate: BuildGateConfig | undefined, run: CommandRun | undefined): ChecklistItem {
  if (!gate)
    return item('build', false, null, 'exit 0', {
      detail: 'no build command configured: set gates.build { command } (the command that makes the deployable artifact)',
    });
  if (!gate.enabled) return disabled('build', 'build');
  const config = gate as MeasuringBuild;
  if (!run) return { ...notMeasured('build', config.command), threshold: 'exit 0' };
  const base = baseEvidence(config.command, run);
  const failure = commandFailure(run.result, config.timeout_minutes, 'build');
  if (failure) return item('build', false, null, 'exit 0', { ...base, detail: failure });
  const ok = run.result.exitCode === 0;
  return item('build', ok, `exit ${String(run.result.exitCode)}`, 'exit 0', {
    ...base,
    detail: ok ? 'the build succeeded' : whyFailed(run.result) || 'the build failed',
  });
}
