/**
 * Which engine events become OS notifications in the desktop app, with what words, and where a
 * click leads. Pure: the shell shows the result with Electron's Notification and opens the
 * dashboard at `target` on click. The wording of reports and errors is the CLI's
 * (electron/contract/notices.ts), so both hosts say the same thing.
 */
import type { ApiEvent } from './api.ts';
import { errorNotice, fileName, MAX_NOTICE_MESSAGE, reportNotice } from './notices.ts';
import type { DashboardRoute } from './routes.ts';
import { goldWordsFor } from './status.ts';

/** The per-type switches (settings.notifications). */
export interface NotificationSwitches {
  /** Progress and status reports. */
  reports: boolean;
  /** An error alert (a failed cycle, a critical fault). */
  errors: boolean;
  /** The loop paused after too many consecutive errors. */
  paused_after_errors: boolean;
  /** The agent hit its usage limit; Goldloop waits for the reset. */
  waiting_limit: boolean;
  /** A cycle weakened the measurements and was not counted. */
  tamper: boolean;
  /** Every checklist line passes. */
  gold: boolean;
}

export type NoticeType = keyof NotificationSwitches;

/** Where a click on the notification leads in the dashboard. */
export type NoticeTarget = DashboardRoute & { project_id: string };

export interface DesktopNotice {
  type: NoticeType;
  title: string;
  body: string;
  target: NoticeTarget;
}

/** The words that mark a tamper finding in an alert (the loop's "... and is not counted: ..."). */
const TAMPER_MARK = 'not counted';

/**
 * The notification for one event, or undefined when the event calls for none or its switch is off.
 *
 * - The pause after repeated errors is announced by its `state` event; the `alert` that precedes
 *   it carries the same text, so `createNoticeFilter` drops the second of the two.
 * - Gold is announced with the final report (which the loop writes just before the `gold` event),
 *   so a click opens that report; the `gold` event itself adds nothing.
 */
export function noticeFor(
  event: ApiEvent,
  projectName: string,
  switches: NotificationSwitches,
  formatTime: (iso: string) => string = localTime,
): DesktopNotice | undefined {
  const make = (type: NoticeType, title: string, body: string, item?: NoticeTarget['item']): DesktopNotice | undefined =>
    switches[type]
      ? { type, title, body, target: { project_id: event.type === 'snapshot' ? '' : event.project_id, ...(item ? { item } : {}) } }
      : undefined;

  switch (event.type) {
    case 'report': {
      const name = fileName(event.path);
      if (event.kind === 'final')
        return make('gold', `Goldloop · ${projectName} is gold`, `${goldSentence(event.waived ?? [])} Final report: ${name}`, {
          kind: 'report',
          name,
        });
      const text = reportNotice(projectName, event.kind, event.path);
      return make('reports', text.title, text.message, { kind: 'report', name });
    }
    case 'alert': {
      if (event.level === 'error') {
        const text = errorNotice(projectName, event.message);
        return make('errors', text.title, text.message, { kind: 'log' });
      }
      if (event.level === 'warning' && event.message.includes(TAMPER_MARK)) {
        return make('tamper', `Goldloop · ${projectName}: a cycle was not counted`, event.message.slice(0, MAX_NOTICE_MESSAGE), {
          kind: 'log',
        });
      }
      return undefined;
    }
    case 'state': {
      const { state } = event;
      if (state.state === 'paused' && state.pause_reason === 'errors') {
        return make(
          'paused_after_errors',
          `Goldloop · ${projectName}: paused after errors`,
          (state.message ?? 'Too many consecutive errors. Fix the cause and resume.').slice(0, MAX_NOTICE_MESSAGE),
          { kind: 'log' },
        );
      }
      if (state.state === 'waiting_limit') {
        const until = state.until ? ` until ${formatTime(state.until)}` : '';
        return make(
          'waiting_limit',
          `Goldloop · ${projectName}: waiting for the agent limit`,
          `The agent's usage limit is reached; Goldloop waits${until} and carries on by itself.`,
        );
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** "14:05" in the user's time zone. */
function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * Drops a notice whose project and body repeat one shown within `windowMs` (default 10 s): the
 * error alert and the pause it causes carry the same text, and one notification is enough.
 * `now` is injected so tests need no timers.
 */
export function createNoticeFilter(options: { windowMs?: number; now?: () => number } = {}): (notice: DesktopNotice) => boolean {
  const windowMs = options.windowMs ?? 10_000;
  const now = options.now ?? Date.now;
  const recent = new Map<string, number>();
  return (notice) => {
    const at = now();
    for (const [key, time] of recent) if (at - time > windowMs) recent.delete(key);
    const key = `${notice.target.project_id}\n${notice.body}`;
    if (recent.has(key)) return false;
    recent.set(key, at);
    return true;
  };
}

/** The gold notice's first sentence, in the words every view uses: plain gold only when no line is waived. */
function goldSentence(waived: readonly string[]): string {
  const words = goldWordsFor(waived);
  return `${words[0]!.toUpperCase()}${words.slice(1)}.`;
}
