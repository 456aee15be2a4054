import notifier from 'node-notifier';
import type { Kb } from '../core/kb/schema.ts';
import type { EngineEvent } from '../core/loop/types.ts';
import { errorNotice, reportNotice } from '../shared/notices.ts';

/** One desktop notification. */
export interface Notice {
  title: string;
  message: string;
}

/** Shows notifications; tests use a recording fake, the CLI node-notifier, the app Electron's. */
export interface Notifier {
  /** Must return at once and never throw: a notification is never worth a stalled loop. */
  notify(notice: Notice): void;
}

/**
 * node-notifier behind the interface: fire and forget. Where the OS has no notifier (no
 * notify-send on a headless Linux) it reports an error to the callback, which is dropped.
 */
export function osNotifier(): Notifier {
  return {
    notify(notice) {
      try {
        notifier.notify({ title: notice.title, message: notice.message, wait: false }, () => {});
      } catch {
        // Never let the desktop's notification service reach the loop.
      }
    },
  };
}

/** Whether the KB wants notifications: `reporting.notifications` (default on) and `error_alert_immediate`. */
export function notificationSettings(kb: Kb): { enabled: boolean; errorsImmediately: boolean } {
  const reporting = kb.autonomous_operation.reporting;
  return { enabled: reporting.notifications, errorsImmediately: reporting.error_alert_immediate };
}

/** The notification for an engine event, or undefined when the event does not call for one. */
export function noticeFor(event: EngineEvent, projectName: string, errorsImmediately: boolean): Notice | undefined {
  // The wording is shared with the desktop app (electron/main/notifications.ts).
  if (event.type === 'report') return reportNotice(projectName, event.kind, event.path);
  if (event.type === 'alert' && event.level === 'error' && errorsImmediately) return errorNotice(projectName, event.message);
  return undefined;
}

/**
 * Subscribes a notifier to a loop's events: one notification per report, and one at once for an
 * error alert when `error_alert_immediate` is on. Returns the unsubscribe function.
 */
export function attachNotifications(
  loop: { on(listener: (event: EngineEvent) => void): () => void },
  notifier: Notifier,
  options: { projectName: string; errorsImmediately: boolean },
): () => void {
  return loop.on((event) => {
    const notice = noticeFor(event, options.projectName, options.errorsImmediately);
    if (!notice) return;
    try {
      notifier.notify(notice);
    } catch {
      // A broken notifier must not break the loop's event delivery.
    }
  });
}
