/**
 * The checklist: one line per gate, in the operating document's order, evaluated from a
 * measurement and the KB. The command gates' lines are in `command-gates.ts`; the lines read from
 * the KB itself (phases, requirements, blockers) and the documentation check are here.
 */
import type { Kb } from '../../../store/kb/schema.ts';
import { allTasks, dependencyProblems, phaseProgress } from '../../tasks/queue.ts';
import type { DocsCheck } from '../docs.ts';
import type { Measurement, TestsRun } from '../measurement.ts';
import { canaryChecked } from './canary.ts';
import type { ChecklistItem, GateRun, TestOutcome } from '../types.ts';
import { buildItem, coverageItem, performanceItem, securityItem, testsItem } from './command-gates.ts';
import { holdoutItem } from './holdout.ts';
import { disabled, item } from './line.ts';
import { mutationItem } from './mutation.ts';
import { requirementsItem } from './requirements.ts';

export { namesRequirement } from './requirements.ts';

function docsItem(kb: Kb, check: DocsCheck | undefined): ChecklistItem {
  if (!kb.gates.docs.enabled) return disabled('docs', 'docs');
  if (!check)
    return item('docs', false, null, 'no unfinished markers', { detail: 'not measured yet: run `goldloop gates` or `goldloop run`' });
  const problems: string[] = [];
  for (const f of check.files) {
    if (f.outside) problems.push(`${f.file} is outside the project (the docs gate reads only the project's own files)`);
    else if (f.missing) problems.push(`${f.file} is missing`);
    for (const m of f.markers.slice(0, 3)) problems.push(`${f.file}:${m.line} ${m.marker}`);
    if (f.markers.length > 3) problems.push(`${f.file}: ${f.markers.length - 3} more marker(s)`);
  }
  const good = check.files.filter((f) => !f.missing && f.markers.length === 0).length;
  return item('docs', problems.length === 0, `${good}/${check.files.length} complete`, 'no unfinished markers', {
    detail: problems.length ? problems.slice(0, 8).join('; ') : `checked ${check.files.map((f) => f.file).join(', ')}`,
  });
}

function phasesItem(kb: Kb): ChecklistItem {
  const rows = phaseProgress(kb);
  const done = rows.reduce((n, r) => n + r.done, 0);
  const total = rows.reduce((n, r) => n + r.total, 0);
  const open = rows.filter((r) => r.done < r.total).map((r) => `Phase ${r.phase} ${r.done}/${r.total}`);
  return item('phases', total > 0 && done === total, `${done}/${total} tasks`, 'all done', {
    detail:
      total === 0
        ? "the task queue is empty: add the plan's tasks to task_queue"
        : open.length
          ? `open: ${open.join(', ')}`
          : 'every task of every phase is done',
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
  return item('blockers', found.length === 0, found.length, 0, {
    detail: found.length ? found.slice(0, 8).join('; ') : 'no open P0 task, critical bug or blocked task',
  });
}

/** Test outcomes as the checklist and the regression check know them. */
export function testOutcomes(run: TestsRun | undefined): TestOutcome[] | undefined {
  return run?.report?.tests.map((t) => ({
    name: t.classname && t.classname !== 'test' ? `${t.classname} > ${t.name}` : t.name,
    status: t.status,
    ...(t.message ? { message: t.message } : {}),
    ...(t.assertions !== undefined ? { assertions: t.assertions } : {}),
    ...(t.tags?.length ? { tags: t.tags } : {}),
  }));
}

/**
 * Evaluates every checklist line — in the operating document's order — from a measurement and
 * the KB as it is now. The KB's measured fields are never read here.
 */
export function evaluateChecklist(kb: Kb, m: Measurement): GateRun {
  const g = kb.gates;
  const tests = testOutcomes(m.tests);
  const reqs = requirementsItem(kb, tests, m.mutation, m.requirementTests);
  const others = [
    phasesItem(kb),
    reqs.item,
    coverageItem(kb, g.tests, m.tests),
    canaryChecked(testsItem(kb, g.tests, m.tests), m.canary),
    securityItem(kb, g.security, m.security),
    performanceItem(g.performance, m.performance),
    docsItem(kb, m.docs),
    buildItem(g.build, m.build),
    blockersItem(kb),
  ];
  // After the tests line, in the order of GATE_IDS: the lines measured at a gold candidate.
  const checklist = [
    ...others.slice(0, 4),
    mutationItem(
      g.mutation,
      m.mutation,
      others.every((c) => c.passed),
    ),
    holdoutItem(kb, m.holdout),
    ...others.slice(4),
  ];
  const files = m.tests?.coverage?.files ?? [];
  const totals = m.tests?.coverage?.totals;
  const coverage = totals?.lines ?? totals?.statements;
  return {
    at: m.at,
    duration_ms: m.durationMs,
    gold: checklist.every((c) => c.passed),
    checklist,
    tests: tests ?? [],
    uncovered_requirements: reqs.uncovered,
    least_covered_files: files
      .map((f) => ({ file: f.file, pct: (f.lines ?? f.statements)?.pct ?? 100 }))
      .filter((f) => f.pct < 100)
      .sort((a, b) => a.pct - b.pct)
      .slice(0, 10),
    ...(coverage ? { coverage_pct: coverage.pct } : {}),
  };
}
