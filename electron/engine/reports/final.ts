import { basename } from 'node:path';
import type { ChecklistItem, GateRun } from '../gates/types.ts';
import type { Kb } from '../../store/kb/schema.ts';
import type { HistoryEntry } from '../../store/history.ts';
import { allTasks, phaseProgress } from '../tasks/queue.ts';
import { writeReport } from './write.ts';
import { goldWords, waivedLines } from '../../contract/status.ts';

export { reportFileName, reportsDir } from './write.ts';

const escapeCell = (value: unknown): string =>
  String(value ?? '—')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return `${Math.round(ms / 1000)} s`;
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export interface FinalReportInput {
  projectDir: string;
  kb: Kb;
  gates: GateRun;
  history: HistoryEntry[];
  runStartedAt: string;
  now: Date;
  changedFiles: string[];
}

/** Renders the final report: the whole run and every gate with its evidence. */
export function renderFinalReport(input: FinalReportInput): string {
  const { kb, gates, history, now } = input;
  const name = kb.project?.name ?? basename(input.projectDir);
  const tasks = allTasks(kb);
  const done = tasks.filter((t) => t.task.status === 'done');
  const lines = [
    `# Final report — ${name}`,
    '',
    `Gold-class: **${gates.gold ? 'yes' : 'no'}**${gates.gold && waivedLines(gates.checklist).length ? ` (${goldWords(gates.checklist)})` : ''}, measured by Goldloop at ${gates.at}.`,
    '',
    `- Run: ${input.runStartedAt} → ${now.toISOString()} (${duration(now.getTime() - Date.parse(input.runStartedAt))})`,
    `- Cycles: ${history.length} in this run, iteration ${kb.autonomous_operation.current_iteration} in total`,
    `- Tasks completed: ${done.length}/${tasks.length}`,
    '',
    '## Completion checklist',
    '',
    '| Criterion | Verdict | Measured | Target | Evidence |',
    '|---|---|---|---|---|',
    ...gates.checklist.map((c) => {
      const ev = [
        c.evidence.detail,
        c.evidence.command ? `\`${c.evidence.command.join(' ')}\`` : '',
        c.evidence.exit_code !== undefined ? `exit ${String(c.evidence.exit_code)}` : '',
        c.evidence.report ?? '',
        c.evidence.duration_ms !== undefined ? `${c.evidence.duration_ms} ms` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return `| ${escapeCell(c.label)} | ${c.disabled ? 'OFF' : c.passed ? 'PASS' : 'FAIL'} | ${escapeCell(c.value)} | ${escapeCell(c.threshold)} | ${escapeCell(ev)} |`;
    }),
    '',
    '## Production readiness',
    '',
    ...productionReadiness(gates.checklist),
    '',
    '## Progress per phase',
    '',
    ...phaseProgress(kb).map((p) => `- Phase ${p.phase} ${p.name}: ${p.done}/${p.total}`),
    '',
    '## Requirements',
    '',
    ...(kb.requirements.length
      ? kb.requirements.map((r) => `- ${gates.uncovered_requirements.includes(r.id) ? '✗' : '✓'} ${r.id}: ${r.text}`)
      : ['- (none listed)']),
    '',
    '## Cycles',
    '',
    '| # | Work | Outcome | Agent exit | Gold |',
    '|---|---|---|---|---|',
    ...history.map(
      (h) =>
        `| ${h.iteration} | ${escapeCell(h.work)} | ${h.outcome} | ${escapeCell(h.agent.exit_code ?? h.agent.killed_by)} | ${h.gold ? 'yes' : 'no'} |`,
    ),
    '',
    '## What changed in the repository',
    '',
    ...(input.changedFiles.length ? input.changedFiles.map((f) => `- ${f}`) : ['- (no git history to compare)']),
    '',
  ];
  return lines.join('\n');
}

const READINESS: { text: string; gate: string }[] = [
  { text: 'All 4 phases complete', gate: 'phases' },
  { text: 'All requirements covered (100%)', gate: 'requirements' },
  { text: 'Test coverage at or above target', gate: 'coverage' },
  { text: 'All tests passing', gate: 'tests' },
  { text: 'Security scans passing', gate: 'security' },
  { text: 'Performance benchmarks met', gate: 'performance' },
  { text: 'Documentation complete', gate: 'docs' },
  { text: 'Production deployment ready', gate: 'build' },
  { text: 'No critical bugs', gate: 'blockers' },
  { text: 'No blockers', gate: 'blockers' },
];

/**
 * The operating document's "Production readiness" checklist, each line from Goldloop's measured
 * checklist (by gate id), so a criterion no gate measures says so instead of being ticked.
 */
export function productionReadiness(checklist: readonly ChecklistItem[]): string[] {
  return READINESS.map(({ text, gate }) => {
    const c = checklist.find((x) => x.id === gate);
    if (!c) return `- [ ] ${text} — not measured: no ${gate} gate in this version`;
    if (c.disabled) return `- [ ] ${text} — not measured: ${c.evidence.detail}`;
    return `- [${c.passed ? 'x' : ' '}] ${text} — ${c.passed ? 'measured' : 'FAILS'}: ${c.evidence.detail}`;
  });
}

/** Writes the final report (redacted) into `.goldloop/reports/`; returns its path. */
export async function writeFinalReport(input: FinalReportInput): Promise<string> {
  return writeReport(input.projectDir, 'final', input.now, renderFinalReport(input));
}
