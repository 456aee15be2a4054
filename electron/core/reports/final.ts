import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { GateRun } from '../gates/types.ts';
import { GOLDLOOP_DIR } from '../kb/store.ts';
import type { Kb } from '../kb/schema.ts';
import type { HistoryEntry } from '../loop/history.ts';
import { allTasks, phaseProgress } from '../tasks/queue.ts';

export const reportsDir = (projectDir: string): string => join(projectDir, GOLDLOOP_DIR, 'reports');

/** `2026-11-24T18-05-00Z-final.md`: sorts by time, says its kind, is valid on every file system. */
export function reportFileName(at: Date, kind: string): string {
  return `${at.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}-${kind}.md`;
}

const escapeCell = (value: unknown): string => String(value ?? '—').replaceAll('|', '\\|').replaceAll('\n', ' ');

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
    `Gold-class: **${gates.gold ? 'yes' : 'no'}**, measured by Goldloop at ${gates.at}.`,
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
      const ev = [c.evidence.detail, c.evidence.command ? `\`${c.evidence.command.join(' ')}\`` : '', c.evidence.exitCode !== undefined ? `exit ${String(c.evidence.exitCode)}` : '', c.evidence.report ?? '', c.evidence.durationMs !== undefined ? `${c.evidence.durationMs} ms` : '']
        .filter(Boolean)
        .join('; ');
      return `| ${escapeCell(c.label)} | ${c.passed ? 'PASS' : 'FAIL'} | ${escapeCell(c.value)} | ${escapeCell(c.threshold)} | ${escapeCell(ev)} |`;
    }),
    '',
    '## Progress per phase',
    '',
    ...phaseProgress(kb).map((p) => `- Phase ${p.phase} ${p.name}: ${p.done}/${p.total}`),
    '',
    '## Requirements',
    '',
    ...(kb.requirements.length
      ? kb.requirements.map((r) => `- ${gates.uncoveredRequirements.includes(r.id) ? '✗' : '✓'} ${r.id}: ${r.text}`)
      : ['- (none listed)']),
    '',
    '## Cycles',
    '',
    '| # | Work | Outcome | Agent exit | Gold |',
    '|---|---|---|---|---|',
    ...history.map((h) => `| ${h.iteration} | ${escapeCell(h.work)} | ${h.outcome} | ${escapeCell(h.agent.exitCode ?? h.agent.killedBy)} | ${h.gold ? 'yes' : 'no'} |`),
    '',
    '## What changed in the repository',
    '',
    ...(input.changedFiles.length ? input.changedFiles.map((f) => `- ${f}`) : ['- (no git history to compare)']),
    '',
  ];
  return lines.join('\n');
}

export async function writeFinalReport(input: FinalReportInput): Promise<string> {
  const dir = reportsDir(input.projectDir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, reportFileName(input.now, 'final'));
  await writeFile(path, renderFinalReport(input));
  return path;
}
