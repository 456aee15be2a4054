import { resolve } from 'node:path';
import { evaluateChecklist } from '../gates/checklist/checklist.ts';
import * as git from '../../platform/git.ts';
import { loadKb } from '../../store/kb/kb-file.ts';
import { lockHolder } from '../../store/lock.ts';
import { readHistory } from '../../store/history.ts';
import { loadRunState } from '../../store/run-state.ts';
import type { ReportKind } from './due.ts';
import { estimateCompletion, remainingWork } from './estimate.ts';
import { renderFinalReport } from './final.ts';
import { renderPeriodicReport } from './periodic.ts';
import { redactSecrets } from './redact.ts';
import { writeReport } from './write.ts';

/**
 * Renders a report of `kind` now, from the project's current state: its KB, Goldloop's run state
 * (the last measurement) and its history. On demand (`goldloop report --kind`), so it does not move
 * the schedule; its period starts at the last scheduled report of the same kind. Throws KbError
 * for a bad KB. The text comes back redacted.
 */
export async function renderReportNow(dir: string, kind: ReportKind, now = Date.now()): Promise<string> {
  const projectDir = resolve(dir);
  const kb = await loadKb(projectDir);
  const rs = await loadRunState(projectDir);
  const history = await readHistory(projectDir);
  const gates = rs?.last_gates;
  if (kind === 'final') {
    const run = history.filter((h) => h.run_id === rs?.run_id);
    const first = run.find((h) => h.git_before)?.git_before;
    const changedFiles = first && (await git.isRepository(projectDir)) ? await git.diffNames(projectDir, first).catch(() => []) : [];
    return redactSecrets(
      renderFinalReport({
        projectDir,
        kb,
        gates: gates ?? evaluateChecklist(kb, { at: new Date(now).toISOString(), durationMs: 0 }),
        history: run,
        runStartedAt: rs?.run_started_at ?? new Date(now).toISOString(),
        now: new Date(now),
        changedFiles,
      }),
    );
  }
  // A loop that is not running has not been slow since it stopped: measure up to its last cycle.
  const live = (await lockHolder(projectDir)) !== undefined;
  const last = history.at(-1);
  const measuredUntil = live || !last ? now : Math.min(now, Date.parse(last.ended_at));
  const estimate = estimateCompletion({ history, remaining: remainingWork(kb, gates), now, measuredUntil });
  // As `goldloop status` says it: a loop state left by a process that has gone is not running.
  const state =
    rs && !live && ['running', 'break', 'waiting_limit'].includes(rs.state.state)
      ? { state: 'stopped' as const, iteration: rs.state.iteration, message: 'no Goldloop process is running this project' }
      : rs?.state;
  return redactSecrets(
    renderPeriodicReport({
      kind,
      projectDir,
      kb,
      gates,
      history,
      ...(state ? { state } : {}),
      now,
      ...(rs?.reports?.[kind] ? { since: rs.reports[kind].at } : {}),
      estimate,
    }),
  );
}

/** Renders a report now and writes it into `.goldloop/reports/`; returns the text and the path. */
export async function writeReportNow(dir: string, kind: ReportKind, now = Date.now()): Promise<{ text: string; path: string }> {
  const text = await renderReportNow(dir, kind, now);
  return { text, path: await writeReport(resolve(dir), kind, new Date(now), text) };
}
