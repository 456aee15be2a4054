import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { GOLDLOOP_DIR } from '../kb/store.ts';
import type { Kb, TestsGateConfig } from '../kb/schema.ts';
import { runProcess, type RunResult } from '../process/run.ts';
import { allTasks, dependencyProblems, phaseProgress } from '../tasks/queue.ts';
import { parseJUnit } from './parsers/junit.ts';
import { readLcov } from './parsers/lcov.ts';
import { ReportError, type CoverageReport, type TestReport } from './parsers/types.ts';
import { GATE_LABELS, type ChecklistItem, type GateId, type GateRun, type TestOutcome } from './types.ts';

export interface GateContext {
  projectDir: string;
  kb: Kb;
  /** Names the evidence folder: `.goldloop/evidence/<label>/`. */
  label: string;
  signal?: AbortSignal;
}

/** What running the project's gate commands produced; the checklist is evaluated from it and the KB. */
export interface Measurement {
  at: string;
  durationMs: number;
  tests?: TestsRun;
}

/** Runs the gate commands of one project; injectable so the schedule can be simulated without processes. */
export type GateRunner = (ctx: GateContext) => Promise<Measurement>;

const EVIDENCE_KEEP = 20;

const item = (id: GateId, passed: boolean, value: ChecklistItem['value'], threshold: ChecklistItem['threshold'], evidence: ChecklistItem['evidence']): ChecklistItem => ({
  id,
  label: GATE_LABELS[id],
  passed,
  value,
  threshold,
  evidence,
});

/** Requirement ids as whole tokens: REQ-1 must not match inside REQ-12. */
export function namesRequirement(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_])`).test(text);
}

export interface TestsRun {
  result?: RunResult;
  report?: TestReport;
  reportError?: string;
  coverage?: CoverageReport;
  coverageError?: string;
  evidenceDir: string;
  junitCopy?: string;
  coverageCopy?: string;
}

const expand = (value: string, reports: string, projectDir: string): string => {
  const out = value.replaceAll('{reports}', reports);
  return isAbsolute(out) ? out : join(projectDir, out);
};

async function runTestsCommand(config: TestsGateConfig, ctx: GateContext): Promise<TestsRun> {
  // Reports go to a fresh folder Goldloop owns, outside the project: nothing the agent could prepare.
  const reports = await mkdtemp(join(tmpdir(), 'goldloop-reports-'));
  const evidenceDir = join(ctx.projectDir, GOLDLOOP_DIR, 'evidence', ctx.label);
  const out: TestsRun = { evidenceDir };
  try {
    const argv = config.command.map((arg) => arg.replaceAll('{reports}', reports));
    out.result = await runProcess(argv, {
      cwd: ctx.projectDir,
      env: { GOLDLOOP_REPORT_DIR: reports, FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' },
      timeoutMs: config.timeout_minutes * 60_000,
      signal: ctx.signal,
    });
    await mkdir(evidenceDir, { recursive: true });
    if (config.junit_report) {
      const path = expand(config.junit_report, reports, ctx.projectDir);
      try {
        const text = await readFile(path, 'utf8');
        out.junitCopy = join(evidenceDir, 'junit.xml');
        await cp(path, out.junitCopy);
        out.report = parseJUnit(text, out.junitCopy);
      } catch (error) {
        out.reportError = error instanceof ReportError ? error.message : `${config.junit_report}: not found: the test command did not write it`;
      }
    }
    if (config.coverage_report) {
      const path = expand(config.coverage_report.path, reports, ctx.projectDir);
      try {
        out.coverageCopy = join(evidenceDir, basename(path));
        await cp(path, out.coverageCopy);
        out.coverage = await readLcov(out.coverageCopy);
      } catch (error) {
        out.coverageError = error instanceof ReportError ? error.message : `${config.coverage_report.path}: not found: the test command did not write it`;
      }
    }
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
  return out;
}

function commandFailure(result: RunResult | undefined, timeoutMinutes: number): string | undefined {
  if (!result) return 'the test command did not run';
  if (result.spawnError) return result.spawnError;
  if (result.killedBy === 'timeout') return `the test command timed out after ${timeoutMinutes} min`;
  if (result.killedBy === 'abort') return 'the test run was interrupted';
  return undefined;
}

function testsItem(kb: Kb, config: TestsGateConfig | undefined, run: TestsRun | undefined): ChecklistItem {
  const mustPass = kb.autonomous_operation.quality_gates.all_tests_must_pass;
  if (!config) {
    return item('tests', false, null, 'all passing', {
      detail: 'no test command configured: set gates.tests.command in .ai-knowledge-base.json',
    });
  }
  if (!run) return item('tests', false, null, 'all passing', { command: config.command, detail: 'not measured yet: run `goldloop gates` or `goldloop run`' });
  const result = run.result;
  const base = { command: config.command, exitCode: result?.exitCode ?? null, durationMs: result?.durationMs, report: run.junitCopy };
  const failure = commandFailure(result, config.timeout_minutes);
  if (failure) return item('tests', false, null, 'all passing', { ...base, detail: failure });
  const exit = result?.exitCode ?? null;
  if (!config.junit_report) {
    const ok = exit === 0;
    return item('tests', ok || !mustPass, ok ? 'exit 0' : `exit ${String(exit)}`, 'exit 0', {
      ...base,
      detail: ok ? 'the test command passed (no JUnit report configured, so no per-test counts)' : (result?.stderrTail.slice(-3).join(' | ') || 'the test command failed'),
    });
  }
  if (!run.report) return item('tests', false, null, 'all passing', { ...base, detail: run.reportError ?? 'no JUnit report' });
  const r = run.report;
  const total = r.passed + r.failed + r.errored;
  const value = `${r.passed}/${total} passing${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  const failing = r.tests.filter((t) => t.status === 'failed' || t.status === 'errored');
  let passed = failing.length === 0 && total > 0 && exit === 0;
  let detail: string;
  if (total === 0) detail = 'the report lists no tests that ran';
  else if (failing.length > 0) detail = `failing: ${failing.slice(0, 5).map((t) => t.name).join('; ')}${failing.length > 5 ? ` and ${failing.length - 5} more` : ''}`;
  else if (exit !== 0) detail = `the report shows no failures, but the test command exited with code ${String(exit)}`;
  else detail = `${r.passed} passed`;
  if (!mustPass && total > 0) {
    passed = true;
    detail += ' (not required: quality_gates.all_tests_must_pass is false)';
  }
  return item('tests', passed, value, 'all passing', { ...base, detail });
}

function coverageItem(kb: Kb, config: TestsGateConfig | undefined, run: TestsRun | undefined): ChecklistItem {
  const threshold = kb.autonomous_operation.quality_gates.test_coverage_threshold;
  if (!config?.coverage_report) {
    return item('coverage', false, null, threshold, {
      detail: 'no coverage report configured: set gates.tests.coverage_report { format, path } so the test run writes one',
    });
  }
  if (!run) return item('coverage', false, null, threshold, { command: config.command, detail: 'not measured yet: run `goldloop gates` or `goldloop run`' });
  const base = { command: config.command, report: run.coverageCopy };
  const failure = commandFailure(run.result, config.timeout_minutes);
  if (failure) return item('coverage', false, null, threshold, { ...base, detail: failure });
  if (!run.coverage) return item('coverage', false, null, threshold, { ...base, detail: run.coverageError ?? 'no coverage report' });
  const lines = run.coverage.totals.lines ?? run.coverage.totals.statements;
  if (!lines) return item('coverage', false, null, threshold, { ...base, detail: 'the coverage report has no line or statement totals' });
  const t = run.coverage.totals;
  const parts = [`lines ${t.lines?.pct ?? '-'}%`, `branches ${t.branches?.pct ?? '-'}%`, `functions ${t.functions?.pct ?? '-'}%`];
  return item('coverage', lines.pct >= threshold, lines.pct, threshold, { ...base, detail: `${parts.join(', ')} (${lines.covered}/${lines.total} lines)` });
}

function requirementsItem(kb: Kb, tests: TestOutcome[] | undefined): { item: ChecklistItem; uncovered: string[] } {
  const ids = kb.requirements.map((r) => r.id);
  if (ids.length === 0) {
    return { uncovered: [], item: item('requirements', false, '0/0', '100%', { detail: 'no requirements listed: add them to requirements[] in .ai-knowledge-base.json' }) };
  }
  if (!tests) {
    return { uncovered: ids, item: item('requirements', false, `0/${ids.length}`, '100%', { detail: 'no per-test results (configure gates.tests.junit_report) to trace requirements to passing tests' }) };
  }
  const passing = tests.filter((t) => t.status === 'passed');
  const uncovered = ids.filter((id) => !passing.some((t) => namesRequirement(t.name, id)));
  const covered = ids.length - uncovered.length;
  const pct = Math.round((covered / ids.length) * 100);
  return {
    uncovered,
    item: item('requirements', uncovered.length === 0, `${covered}/${ids.length} (${pct}%)`, '100%', {
      detail: uncovered.length === 0 ? 'every requirement is named by a passing test' : `not covered by a passing test: ${uncovered.join(', ')}`,
    }),
  };
}

function phasesItem(kb: Kb): ChecklistItem {
  const rows = phaseProgress(kb);
  const done = rows.reduce((n, r) => n + r.done, 0);
  const total = rows.reduce((n, r) => n + r.total, 0);
  const open = rows.filter((r) => r.done < r.total).map((r) => `Phase ${r.phase} ${r.done}/${r.total}`);
  return item('phases', total > 0 && done === total, `${done}/${total} tasks`, 'all done', {
    detail: total === 0 ? 'the task queue is empty: add the plan\'s tasks to task_queue' : open.length ? `open: ${open.join(', ')}` : 'every task of every phase is done',
  });
}

function blockersItem(kb: Kb): ChecklistItem {
  const found: string[] = [];
  for (const { task, priority } of allTasks(kb)) {
    if (task.status === 'done') continue;
    if (task.critical_bug) found.push(`${task.task_id} (critical bug)`);
    else if (priority === 'P0') found.push(`${task.task_id} (open P0)`);
    else if (task.blocked_reason) found.push(`${task.task_id} (blocked: ${task.blocked_reason})`);
  }
  for (const problem of dependencyProblems(kb)) found.push(problem.message);
  return item('blockers', found.length === 0, found.length, 0, { detail: found.length ? found.slice(0, 8).join('; ') : 'no open P0 task, critical bug or blocked task' });
}

async function pruneEvidence(projectDir: string): Promise<void> {
  const dir = join(projectDir, GOLDLOOP_DIR, 'evidence');
  const names = await readdir(dir).catch(() => [] as string[]);
  const sorted = names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const old of sorted.slice(0, Math.max(0, sorted.length - EVIDENCE_KEEP))) {
    await rm(join(dir, old), { recursive: true, force: true });
  }
}

/** Runs the project's gate commands once: the test command, which writes both JUnit and coverage. */
export const measureGates: GateRunner = async (ctx) => {
  const started = performance.now();
  const config = ctx.kb.gates.tests;
  const tests = config ? await runTestsCommand(config, ctx) : undefined;
  await pruneEvidence(ctx.projectDir);
  return { at: new Date().toISOString(), durationMs: Math.round(performance.now() - started), ...(tests ? { tests } : {}) };
};

/**
 * Evaluates every checklist line from a measurement and the KB as it is now. Tests and coverage
 * come from one run of the test command; requirements are traced from that run's per-test results;
 * phases and blockers from the task queue. The KB's measured fields are never read here.
 */
export function evaluateChecklist(kb: Kb, m: Measurement): GateRun {
  const config = kb.gates.tests;
  const run = m.tests;
  const tests: TestOutcome[] | undefined = run?.report?.tests.map((t) => ({
    name: t.classname && t.classname !== 'test' ? `${t.classname} > ${t.name}` : t.name,
    status: t.status,
    ...(t.message ? { message: t.message } : {}),
  }));
  const reqs = requirementsItem(kb, tests);
  const checklist = [phasesItem(kb), reqs.item, coverageItem(kb, config, run), testsItem(kb, config, run), blockersItem(kb)];
  const files = run?.coverage?.files ?? [];
  return {
    at: m.at,
    durationMs: m.durationMs,
    gold: checklist.every((c) => c.passed),
    checklist,
    tests: tests ?? [],
    uncoveredRequirements: reqs.uncovered,
    leastCoveredFiles: files
      .filter((f) => f.lines && f.lines.pct < 100)
      .map((f) => ({ file: f.file, pct: f.lines!.pct }))
      .sort((a, b) => a.pct - b.pct)
      .slice(0, 10),
    ...(run?.coverage?.totals.lines ? { coveragePct: run.coverage.totals.lines.pct } : {}),
  };
}

/** Measures and evaluates in one go: `goldloop gates`. */
export async function runGates(ctx: GateContext): Promise<GateRun> {
  return evaluateChecklist(ctx.kb, await measureGates(ctx));
}
