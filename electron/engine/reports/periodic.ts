import { basename } from 'node:path';
import type { ChecklistItem, GateRun } from '../gates/types.ts';
import type { Kb, Task } from '../../store/kb/schema.ts';
import type { HistoryEntry } from '../../store/history.ts';
import type { LoopState } from '../../contract/status.ts';
import { allTasks, blockedReason, indexQueue, phaseProgress } from '../tasks/queue.ts';
import type { PeriodicKind } from './due.ts';
import { describeEstimate, type CompletionEstimate } from './estimate.ts';
import { totalUsage, type AgentUsage } from '../agents/usage.ts';

export interface PeriodicReportInput {
  kind: PeriodicKind;
  projectDir: string;
  kb: Kb;
  /** The last measurement (none before the baseline). */
  gates: GateRun | undefined;
  /** The whole history, every run. */
  history: readonly HistoryEntry[];
  state?: LoopState;
  now: number;
  /** When the previous report of this kind was written; the period starts there. */
  since?: number;
  estimate: CompletionEstimate;
}

const NEXT_TASKS = 5;
const METRIC_ROWS = 8;
const PERIOD_EVENTS = 10;
const PRIORITY_RANK = { P0: 0, P1: 1, P2: 2 } as const;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const cell = (value: unknown): string =>
  String(value ?? '—')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');
const pct = (done: number, total: number): string => (total ? `${Math.round((done / total) * 100)}%` : '—');
const valueOf = (checklist: readonly { id: string; value: unknown }[] | undefined, id: string): unknown =>
  checklist?.find((c) => c.id === id)?.value ?? null;

/** The state in a few words, for a file read later (no colours, absolute times). */
function stateWords(s: LoopState | undefined): string {
  if (!s) return 'not started';
  const extra = s.until ? ` until ${s.until}` : s.step ? ` (${s.step.replace('_', ' ')})` : '';
  return `${s.state.replace('_', ' ')}${extra}${s.message ? ` — ${s.message}` : ''}`;
}

/** 0 startable, 1 waiting for its dependencies (its turn will come), 2 blocked until someone acts. */
const blockRank = (task: Task, why: string | undefined): number => (!why ? 0 : task.blocked_reason || task.status === 'blocked' ? 2 : 1);

/** Open tasks in the order the loop takes them: in progress, startable by priority, waiting, blocked. */
function nextTasks(kb: Kb): string[] {
  const index = indexQueue(kb);
  const open = allTasks(kb)
    .filter((t) => t.task.status !== 'done')
    .map((t) => ({ ...t, blocked: blockedReason(kb, t.task, index) }))
    .sort(
      (a, b) =>
        Number(b.task.status === 'in_progress') - Number(a.task.status === 'in_progress') ||
        blockRank(a.task, a.blocked) - blockRank(b.task, b.blocked) ||
        PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
        a.task.task_id.localeCompare(b.task.task_id, 'en', { numeric: true }),
    );
  return open
    .slice(0, NEXT_TASKS)
    .map(
      (t) =>
        `- ${t.task.task_id}: ${t.task.description || '(no description)'} (${t.priority}${t.blocked ? `, blocked: ${t.blocked}` : ''})`,
    );
}

/** The operating document's progress report, measured: what every report starts with. */
function progressSection(input: PeriodicReportInput, period: readonly HistoryEntry[]): string[] {
  const { kb, gates } = input;
  const ao = kb.autonomous_operation;
  const tasks = allTasks(kb);
  const done = tasks.filter((t) => t.task.status === 'done').length;
  const reqTotal = kb.requirements.length;
  const reqCovered = gates ? reqTotal - gates.uncovered_requirements.length : 0;
  const testList = gates?.tests ?? [];
  const passing = testList.filter((t) => t.status === 'passed').length;
  const counted = testList.filter((t) => t.status !== 'skipped').length;
  const threshold = ao.quality_gates.test_coverage_threshold;
  const since = input.since !== undefined ? `since ${iso(input.since)}` : 'since reporting started';
  const next = nextTasks(kb);
  return [
    `Time: ${iso(input.now)}`,
    `State: ${stateWords(input.state)}`,
    `Iteration: ${ao.current_iteration}`,
    `Work cycles completed: ${ao.work_cycles_completed} (${period.length} ${since})`,
    `Tasks completed: ${done}/${tasks.length} (${period.filter((h) => h.outcome === 'task_done').length} verified ${since})`,
    '',
    '## Progress',
    '',
    ...phaseProgress(kb).map(
      (p) => `- Phase ${p.phase} ${p.name}: ${p.total ? `${pct(p.done, p.total)} complete (${p.done}/${p.total})` : 'no tasks'}`,
    ),
    '',
    `Requirements coverage: ${gates ? `${pct(reqCovered, reqTotal)} (${reqCovered}/${reqTotal})` : 'not measured yet'}`,
    `Test coverage: ${gates?.coverage_pct !== undefined ? `${gates.coverage_pct}%` : 'not measured'} (target ${threshold}%)`,
    `Tests passing: ${gates ? `${passing}/${counted}` : 'not measured yet'}`,
    '',
    '## Next tasks',
    '',
    ...(next.length ? next : ['- (no open task: the loop works on the measured gaps)']),
    '',
    `Completion estimate: ${describeEstimate(input.estimate)}`,
  ];
}

/** The checklist values at evenly spaced cycles of the history, oldest first, ending with the latest. */
function metricsOverTime(history: readonly HistoryEntry[]): string[] {
  const measured = history.filter((h) => h.checklist.length > 0);
  if (measured.length === 0) return ['(no measured cycle yet)'];
  const picks = new Set<number>();
  for (let i = 0; i < METRIC_ROWS; i++) picks.add(Math.round((i * (measured.length - 1)) / Math.max(METRIC_ROWS - 1, 1)));
  return [
    '| Time | Iteration | Checklist | Tests | Coverage | Requirements | Phases |',
    '|---|---|---|---|---|---|---|',
    ...[...picks]
      .sort((a, b) => a - b)
      .map((i) => {
        const h = measured[i]!;
        const passed = h.checklist.filter((c) => c.passed).length;
        return `| ${h.ended_at.replace(/\.\d+Z$/, 'Z')} | ${h.iteration} | ${passed}/${h.checklist.length} | ${cell(valueOf(h.checklist, 'tests'))} | ${cell(valueOf(h.checklist, 'coverage'))} | ${cell(valueOf(h.checklist, 'requirements'))} | ${cell(valueOf(h.checklist, 'phases'))} |`;
      }),
  ];
}

/** Blocked tasks, open critical bugs, a failing blockers line, and a loop that needs the user. */
function blockers(input: PeriodicReportInput): string[] {
  const index = indexQueue(input.kb);
  const out: string[] = [];
  for (const { task } of allTasks(input.kb)) {
    if (task.status === 'done') continue;
    if (task.critical_bug) out.push(`- ${task.task_id}: open critical bug — ${task.description}`);
    const why = blockedReason(input.kb, task, index);
    if (why && (task.blocked_reason || task.status === 'blocked' || !why.startsWith('waiting for'))) out.push(`- ${task.task_id}: ${why}`);
  }
  const line = input.gates?.checklist.find((c) => c.id === 'blockers');
  if (line && !line.passed && out.length === 0) out.push(`- ${line.evidence.detail}`);
  const s = input.state;
  if (s && (s.state === 'error' || (s.state === 'paused' && s.pause_reason !== 'user')))
    out.push(`- the loop is ${s.state}: ${s.message ?? ''}`);
  return out.length ? out : ['- none'];
}

/** Errors, roll-backs and usage-limit waits in the period, newest last. */
function troubles(period: readonly HistoryEntry[]): string[] {
  const errors = period.filter((h) => h.outcome === 'error');
  const rolledBack = period.filter((h) => h.outcome === 'rolled_back');
  const limits = period.filter((h) => h.outcome === 'no_progress' && h.verification?.startsWith('usage limit'));
  const notVerified = period.filter((h) => h.outcome === 'not_verified');
  const tampered = period.filter((h) => h.outcome === 'tampered');
  const lines = [
    `- Errors: ${errors.length}; rolled back: ${rolledBack.length}; not verified: ${notVerified.length}; usage-limit waits: ${limits.length}${tampered.length ? `; not counted (weakened the measurements): ${tampered.length}` : ''}`,
  ];
  const shown = [...errors, ...rolledBack, ...tampered, ...limits]
    .sort((a, b) => a.ended_at.localeCompare(b.ended_at))
    .slice(-PERIOD_EVENTS);
  for (const h of shown)
    lines.push(
      `- ${h.ended_at.replace(/\.\d+Z$/, 'Z')} cycle ${h.iteration} (${h.work}): ${h.outcome.replace('_', ' ')} — ${h.verification ?? h.agent.error ?? `agent exit ${String(h.agent.exit_code ?? h.agent.killed_by)}`}`,
    );
  return lines;
}

function usageLine(label: string, entries: readonly HistoryEntry[]): string {
  const u = totalUsage(entries.map((h) => (h.agent as { usage?: AgentUsage }).usage));
  if (u.cycles === 0) return `- ${label}: not reported by this agent`;
  const parts = [
    u.input_tokens !== undefined ? `${u.input_tokens.toLocaleString('en')} input tokens` : '',
    u.output_tokens !== undefined ? `${u.output_tokens.toLocaleString('en')} output tokens` : '',
    u.cost_usd !== undefined ? `$${u.cost_usd.toFixed(2)}` : 'cost not reported',
  ].filter(Boolean);
  return `- ${label}: ${parts.join(', ')} (${u.cycles} of ${entries.length} cycles reported usage)`;
}

function checklistTable(list: readonly ChecklistItem[] | undefined): string[] {
  if (!list?.length) return ['(not measured yet)'];
  return [
    '| Criterion | Verdict | Measured | Target | Evidence |',
    '|---|---|---|---|---|',
    ...list.map(
      (c) =>
        `| ${cell(c.label)} | ${c.disabled ? 'OFF' : c.passed ? 'PASS' : 'FAIL'} | ${cell(c.value)} | ${cell(c.threshold)} | ${cell(c.evidence.detail)} |`,
    ),
  ];
}

/**
 * Renders a progress report (every `progress_report_interval_hours`: the operating document's
 * "Autonomous Operation Status Report") or a status report (every `status_report_interval_hours`:
 * the same, plus quality metrics over time, blockers, errors and waits in the period, agent usage
 * and the checklist). Pure: the caller redacts and writes it.
 */
export function renderPeriodicReport(input: PeriodicReportInput): string {
  const name = input.kb.project?.name ?? basename(input.projectDir);
  const from = input.since ?? -Infinity;
  const period = input.history.filter((h) => {
    const t = Date.parse(h.ended_at);
    return t > from && t <= input.now;
  });
  const title = input.kind === 'progress' ? 'Progress report' : 'Status report';
  const lines = [`# ${title} — ${name}`, '', ...progressSection(input, period)];
  if (input.kind === 'status') {
    lines.push(
      '',
      '## Quality metrics over time',
      '',
      ...metricsOverTime(input.history),
      '',
      '## Blockers',
      '',
      ...blockers(input),
      '',
      `## Errors and waits ${input.since !== undefined ? `since ${iso(input.since)}` : 'so far'}`,
      '',
      ...troubles(period),
      '',
      '## Agent usage',
      '',
      usageLine('this period', period),
      usageLine('in total', input.history),
      '',
      `## Completion checklist${input.gates ? ` (measured ${input.gates.at})` : ''}`,
      '',
      ...checklistTable(input.gates?.checklist),
      '',
      `Gold: ${input.gates?.gold ? 'yes' : 'not yet'}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
