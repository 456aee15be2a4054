import type { PeriodicKind, ReportMark, ReportMarks } from '../../store/run-state.ts';

export type { PeriodicKind, ReportMark, ReportMarks } from '../../store/run-state.ts';
export type ReportKind = PeriodicKind | 'final';

export interface ReportIntervals {
  progressMs: number;
  statusMs: number;
}

const HOUR = 3_600_000;

/** The KB's `reporting` hours as milliseconds. */
export function intervalsFrom(reporting: {
  progress_report_interval_hours: number;
  status_report_interval_hours: number;
}): ReportIntervals {
  return { progressMs: reporting.progress_report_interval_hours * HOUR, statusMs: reporting.status_report_interval_hours * HOUR };
}

const intervalOf = (kind: PeriodicKind, i: ReportIntervals): number => (kind === 'progress' ? i.progressMs : i.statusMs);

/** Marks for a project that has never reported: the grid starts now, the first reports one interval later. */
export function startMarks(now: number): Required<ReportMarks> {
  return { progress: { slot: now, at: now }, status: { slot: now, at: now } };
}

/**
 * Which reports are due at `now`, each with the slot it covers. A report missed for many slots
 * (the machine slept, the process was stopped) is due once, for the latest slot passed, so a
 * wake-up writes one report, not a backlog. Status comes first: when both are due, the progress
 * report is still written (the operating document lists them separately, and the 2-hour series
 * stays unbroken); readers of the status report find everything the progress report says.
 * A clock that went back before the last report (the user changed it) re-anchors the grid.
 */
export function dueReports(now: number, marks: ReportMarks, intervals: ReportIntervals): { kind: PeriodicKind; slot: number }[] {
  const due: { kind: PeriodicKind; slot: number }[] = [];
  for (const kind of ['status', 'progress'] as const) {
    const mark = marks[kind];
    const every = intervalOf(kind, intervals);
    if (!mark || now < mark.at) continue;
    const slots = Math.floor((now - mark.slot) / every);
    if (slots >= 1) due.push({ kind, slot: mark.slot + slots * every });
  }
  return due;
}

/** When the next report of any kind falls due (epoch ms); the loop wakes then even in a long break. */
export function nextReportDue(marks: ReportMarks, intervals: ReportIntervals): number | undefined {
  const times = (['status', 'progress'] as const).flatMap((kind) => {
    const mark = marks[kind];
    return mark ? [mark.slot + intervalOf(kind, intervals)] : [];
  });
  return times.length ? Math.min(...times) : undefined;
}

/** Fills in marks a state file lacks and re-anchors ones the clock went back past. */
export function normalizeMarks(marks: ReportMarks | undefined, now: number): Required<ReportMarks> {
  const fresh = startMarks(now);
  const pick = (m: ReportMark | undefined): ReportMark =>
    m && Number.isFinite(m.slot) && Number.isFinite(m.at) && m.at <= now ? m : { slot: now, at: now };
  return { progress: marks?.progress ? pick(marks.progress) : fresh.progress, status: marks?.status ? pick(marks.status) : fresh.status };
}
