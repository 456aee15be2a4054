import type { GateRun } from '../gates/types.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { loadKb } from '../../store/kb/kb-file.ts';
import { readHistory } from '../../store/history.ts';
import type { RunState } from '../../store/run-state.ts';
import type { LoopState } from '../../contract/status.ts';
import { dueReports, intervalsFrom, nextReportDue, normalizeMarks, type PeriodicKind } from './due.ts';
import { estimateCompletion, remainingWork, type EstimateSample } from './estimate.ts';
import { HistoryTail } from './history-tail.ts';
import { renderPeriodicReport } from './periodic.ts';
import { writeReport } from './write.ts';

/**
 * The loop's side of scheduled reporting: which reports are due, writing them, and the completion
 * estimate. The marks (last report per kind) live in the run state the loop saves, so a restart
 * neither repeats nor loses a report.
 */
export class ScheduledReports {
  private readonly tail: HistoryTail;

  constructor(private readonly projectDir: string) {
    this.tail = new HistoryTail(projectDir);
  }

  /** When the next report falls due (epoch ms), for splitting a long sleep. */
  nextDue(kb: Kb, rs: RunState, now: number): number | undefined {
    rs.reports = normalizeMarks(rs.reports, now);
    return nextReportDue(rs.reports, intervalsFrom(kb.autonomous_operation.reporting));
  }

  /**
   * Writes every report due at `now` (status before progress), once each however many slots
   * were missed, and moves the marks in `rs` (the caller saves it). Returns what was written.
   */
  async writeDue(kb: Kb, rs: RunState, state: LoopState, now: number): Promise<{ kind: PeriodicKind; path: string }[]> {
    const marks = normalizeMarks(rs.reports, now);
    rs.reports = marks;
    const due = dueReports(now, marks, intervalsFrom(kb.autonomous_operation.reporting));
    if (due.length === 0) return [];
    // The KB as it is now: during a long wait the user may have edited the plan.
    const fresh = await loadKb(this.projectDir).catch(() => kb);
    const history = await readHistory(this.projectDir);
    const estimate = estimateCompletion({ history, remaining: remainingWork(fresh, rs.last_gates), now });
    const written: { kind: PeriodicKind; path: string }[] = [];
    for (const { kind, slot } of due) {
      const body = renderPeriodicReport({
        kind,
        projectDir: this.projectDir,
        kb: fresh,
        gates: rs.last_gates,
        history,
        state,
        now,
        since: marks[kind].at,
        estimate,
      });
      written.push({ kind, path: await writeReport(this.projectDir, kind, new Date(now), body) });
      marks[kind] = { slot, at: now };
    }
    return written;
  }

  /**
   * The likely completion time (ISO) for the KB's `completion_estimate`, or undefined while
   * there is not enough data. `current` is the cycle being recorded, not yet in the history.
   */
  async likelyCompletion(kb: Kb, run: GateRun, now: number, current: EstimateSample): Promise<string | undefined> {
    const history = [...(await this.tail.read()), current];
    const e = estimateCompletion({ history, remaining: remainingWork(kb, run), now });
    if (e.kind === 'done') return new Date(now).toISOString();
    return e.kind === 'estimate' ? new Date(e.likely).toISOString() : undefined;
  }
}
