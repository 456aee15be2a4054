import { describe, expect, it } from 'vitest';
import { dueReports, intervalsFrom, nextReportDue, normalizeMarks, startMarks } from '../../../electron/engine/reports/due.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);
const defaults = intervalsFrom({ progress_report_interval_hours: 2, status_report_interval_hours: 6 });

describe('dueReports', () => {
  it('has nothing due before the first interval has passed', () => {
    expect(dueReports(T0 + 2 * HOUR - 1, startMarks(T0), defaults)).toEqual([]);
  });

  it('makes a progress report due every 2 hours on the grid that started with reporting', () => {
    expect(dueReports(T0 + 2 * HOUR, startMarks(T0), defaults)).toEqual([{ kind: 'progress', slot: T0 + 2 * HOUR }]);
  });

  it('lists status before progress when both fall due at 6 hours', () => {
    const marks = { progress: { slot: T0 + 4 * HOUR, at: T0 + 4 * HOUR }, status: { slot: T0, at: T0 } };
    expect(dueReports(T0 + 6 * HOUR, marks, defaults).map((d) => d.kind)).toEqual(['status', 'progress']);
  });

  it('after 9 hours asleep, makes each kind due once, for the latest slot passed', () => {
    expect(dueReports(T0 + 9 * HOUR + 60_000, startMarks(T0), defaults)).toEqual([
      { kind: 'status', slot: T0 + 6 * HOUR },
      { kind: 'progress', slot: T0 + 8 * HOUR },
    ]);
  });

  it('keeps the grid when a report was written late: the next is due at its slot, not 2 h after writing', () => {
    const marks = { ...startMarks(T0), progress: { slot: T0 + 2 * HOUR, at: T0 + 2 * HOUR + 14 * 60_000 } };
    expect(nextReportDue(marks, defaults)).toBe(T0 + 4 * HOUR);
  });

  it('follows the KB intervals', () => {
    const hourly = intervalsFrom({ progress_report_interval_hours: 0.5, status_report_interval_hours: 1 });
    expect(dueReports(T0 + HOUR, startMarks(T0), hourly).map((d) => d.kind)).toEqual(['status', 'progress']);
  });
});

describe('normalizeMarks', () => {
  it('starts the grid now for a state file without marks', () => {
    expect(normalizeMarks(undefined, T0)).toEqual(startMarks(T0));
  });

  it('re-anchors a mark from the future (the clock was set back)', () => {
    const marks = normalizeMarks({ progress: { slot: T0 + 10 * HOUR, at: T0 + 10 * HOUR }, status: { slot: T0, at: T0 } }, T0 + HOUR);
    expect(marks.progress).toEqual({ slot: T0 + HOUR, at: T0 + HOUR });
    expect(marks.status).toEqual({ slot: T0, at: T0 });
  });
});
