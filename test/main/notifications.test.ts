import { describe, expect, it } from 'vitest';
import { noticeFor as cliNoticeFor } from '../../electron/cli/notify.ts';
import { createNoticeFilter, noticeFor, type DesktopNotice, type NotificationSwitches } from '../../electron/contract/notifications.ts';
import type { ApiEvent } from '../../electron/contract/api.ts';

const all: NotificationSwitches = { reports: true, errors: true, paused_after_errors: true, waiting_limit: true, tamper: true, gold: true };
const only = (type: keyof NotificationSwitches): NotificationSwitches => ({ ...all, [type]: false });
const at = (iso: string): string => iso.slice(11, 16);
const notice = (event: ApiEvent, switches = all): DesktopNotice | undefined => noticeFor(event, 'shop', switches, at);

const report = (kind: 'progress' | 'status' | 'final'): ApiEvent => ({
  type: 'report',
  project_id: 'p1',
  kind,
  path: `/code/shop/.goldloop/reports/2026-01-05T02-00-00Z-${kind}.md`,
});
const errorAlert: ApiEvent = {
  type: 'alert',
  project_id: 'p1',
  level: 'error',
  message: '3 consecutive error(s), the last: the agent exited with code 1. Paused; fix the cause and resume.',
};
const pausedAfterErrors: ApiEvent = {
  type: 'state',
  project_id: 'p1',
  state: {
    state: 'paused',
    pause_reason: 'errors',
    iteration: 9,
    message: '3 consecutive error(s), the last: the agent exited with code 1. Paused; fix the cause and resume.',
  },
};
const waiting: ApiEvent = {
  type: 'state',
  project_id: 'p1',
  state: { state: 'waiting_limit', until: '2026-01-05T14:05:00.000Z', iteration: 9 },
};
const tamper: ApiEvent = {
  type: 'alert',
  project_id: 'p1',
  level: 'warning',
  message: 'cycle 7 weakened the measurements and is not counted: a test was skipped',
};

describe('noticeFor (desktop)', () => {
  it("announces progress and status reports in the CLI's words, opening the report", () => {
    const n = notice(report('progress'));
    expect(n).toEqual({
      type: 'reports',
      title: 'Goldloop · shop: progress report',
      body: 'Written to 2026-01-05T02-00-00Z-progress.md',
      target: { project_id: 'p1', item: { kind: 'report', name: '2026-01-05T02-00-00Z-progress.md' } },
    });
    const cli = cliNoticeFor(
      { type: 'report', project: '/code/shop', kind: 'status', path: '/code/shop/.goldloop/reports/x-status.md' },
      'shop',
      { errorsImmediately: true },
    );
    const desktop = notice({ type: 'report', project_id: 'p1', kind: 'status', path: '/code/shop/.goldloop/reports/x-status.md' });
    expect({ title: desktop?.title, message: desktop?.body }).toEqual(cli);
  });

  it('announces gold with the final report, and nothing more for the gold event', () => {
    expect(notice(report('final'))).toMatchObject({
      type: 'gold',
      title: 'Goldloop · shop is gold',
      target: { project_id: 'p1', item: { kind: 'report', name: '2026-01-05T02-00-00Z-final.md' } },
    });
    expect(notice({ type: 'gold', project_id: 'p1', iteration: 9 })).toBeUndefined();
  });

  it('announces an error alert, opening the log', () => {
    expect(notice(errorAlert)).toMatchObject({
      type: 'errors',
      title: 'Goldloop · shop: error',
      target: { project_id: 'p1', item: { kind: 'log' } },
    });
  });

  it('cuts a long error to 240 characters', () => {
    expect(notice({ type: 'alert', project_id: 'p1', level: 'error', message: 'x'.repeat(1000) })?.body).toHaveLength(240);
  });

  it('announces the pause after repeated errors', () => {
    expect(notice(pausedAfterErrors)).toMatchObject({
      type: 'paused_after_errors',
      title: 'Goldloop · shop: paused after errors',
      body: pausedAfterErrors.type === 'state' ? pausedAfterErrors.state.message : '',
    });
  });

  it('stays quiet for a pause by the user', () => {
    expect(notice({ type: 'state', project_id: 'p1', state: { state: 'paused', pause_reason: 'user', iteration: 9 } })).toBeUndefined();
  });

  it('announces the wait for an agent limit with its end', () => {
    expect(notice(waiting)).toMatchObject({
      type: 'waiting_limit',
      body: "The agent's usage limit is reached; Goldloop waits until 14:05 and carries on by itself.",
    });
  });

  it('announces a tamper finding (a warning that says the cycle is not counted)', () => {
    expect(notice(tamper)).toMatchObject({
      type: 'tamper',
      title: 'Goldloop · shop: a cycle was not counted',
      body: tamper.type === 'alert' ? tamper.message : '',
    });
  });

  it('stays quiet for other warnings and info alerts', () => {
    expect(notice({ type: 'alert', project_id: 'p1', level: 'warning', message: 'the KB was edited by the agent' })).toBeUndefined();
    expect(notice({ type: 'alert', project_id: 'p1', level: 'info', message: 'not counted' })).toBeUndefined();
  });

  it('stays quiet for the busy events', () => {
    expect(notice({ type: 'agent_line', project_id: 'p1', iteration: 1, n: 0, stream: 'stdout', line: 'not counted' })).toBeUndefined();
    expect(notice({ type: 'cycle_start', project_id: 'p1', iteration: 1, work: 'T1', description: 'd' })).toBeUndefined();
    expect(notice({ type: 'state', project_id: 'p1', state: { state: 'running', iteration: 1 } })).toBeUndefined();
  });

  it.each([
    ['reports', report('status')],
    ['gold', report('final')],
    ['errors', errorAlert],
    ['paused_after_errors', pausedAfterErrors],
    ['waiting_limit', waiting],
    ['tamper', tamper],
  ] as const)('honours the %s switch', (type, event) => {
    expect(notice(event, all)?.type).toBe(type);
    expect(notice(event, only(type))).toBeUndefined();
  });
});

describe('createNoticeFilter', () => {
  it('shows the error alert and drops the identical pause right after it', () => {
    let now = 0;
    const fresh = createNoticeFilter({ now: () => now });
    expect(fresh(notice(errorAlert)!)).toBe(true);
    now = 50;
    expect(fresh(notice(pausedAfterErrors)!)).toBe(false);
  });

  it('shows the pause when the error switch is off', () => {
    const fresh = createNoticeFilter({ now: () => 0 });
    expect(notice(errorAlert, only('errors'))).toBeUndefined();
    expect(fresh(notice(pausedAfterErrors, only('errors'))!)).toBe(true);
  });

  it('shows the same text again after the window, and for another project at once', () => {
    let now = 0;
    const fresh = createNoticeFilter({ windowMs: 1000, now: () => now });
    const n = notice(errorAlert)!;
    expect(fresh(n)).toBe(true);
    expect(fresh({ ...n, target: { project_id: 'p2' } })).toBe(true);
    now = 1001;
    expect(fresh(n)).toBe(true);
  });
});
