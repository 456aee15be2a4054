import notifier from 'node-notifier';
import type { Kb } from '../store/kb/schema.ts';
import type { EngineEvent } from '../engine/loop/types.ts';
import { DEFAULT_SETTINGS, readConfSettings } from '../store/settings/index.ts';
import {
  createNoticeFilter,
  noticeFor as desktopNotice,
  type DesktopNotice,
  type NotificationSwitches,
} from '../contract/notifications.ts';
import type { ApiEvent } from '../contract/api.ts';

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

/**
 * The notification for an engine event, or undefined when the event does not call for one. The
 * mapping and the per-type switches are the desktop app's (electron/contract/notifications.ts),
 * so `goldloop run` and the tray app notify about the same things in the same words: reports,
 * errors, the pause after repeated errors, a usage-limit wait, a cycle not counted, gold.
 */
export function noticeFor(
  event: EngineEvent,
  projectName: string,
  options: { errorsImmediately: boolean; switches?: NotificationSwitches },
): Notice | undefined {
  const notice = desktopNoticeFor(event, projectName, options);
  return notice && { title: notice.title, message: notice.body };
}

/** The desktop app's notice for an engine event: the shared mapping, with error_alert_immediate on top. */
function desktopNoticeFor(
  event: EngineEvent,
  projectName: string,
  options: { errorsImmediately: boolean; switches?: NotificationSwitches },
): DesktopNotice | undefined {
  // With error_alert_immediate off, errors wait for the next report.
  if (event.type === 'alert' && event.level === 'error' && !options.errorsImmediately) return undefined;
  // The mapping reads no project path or gate details: the event's shape as the dashboard gets it is enough.
  const { project: _path, ...rest } = event;
  return desktopNotice({ ...rest, project_id: '' } as ApiEvent, projectName, options.switches ?? DEFAULT_SETTINGS.notifications);
}

/**
 * Subscribes a notifier to a loop's events (see `noticeFor`); an error and the pause it causes
 * carry the same text and make one notification. Returns the unsubscribe function.
 */
export function attachNotifications(
  loop: { on(listener: (event: EngineEvent) => void): () => void },
  notifier: Notifier,
  options: { projectName: string; errorsImmediately: boolean; switches?: NotificationSwitches },
): () => void {
  const fresh = createNoticeFilter();
  return loop.on((event) => {
    const notice = desktopNoticeFor(event, options.projectName, options);
    if (!notice || !fresh(notice)) return;
    try {
      notifier.notify({ title: notice.title, message: notice.body });
    } catch {
      // A broken notifier must not break the loop's event delivery.
    }
  });
}

/**
 * The desktop app's notification switches, from the settings file it shares with the CLI (in
 * Goldloop's config folder, next to the project list; `$GOLDLOOP_CONFIG_DIR` moves both). A
 * missing file reads as the defaults; a bad field falls back to its default with a warning.
 */
export async function notificationSwitches(configDir: string | undefined, warn: (message: string) => void): Promise<NotificationSwitches> {
  try {
    return (await readConfSettings(configDir, warn)).notifications;
  } catch (error) {
    warn(`settings: could not be read (${(error as Error).message}); every notification is on`);
    return DEFAULT_SETTINGS.notifications;
  }
}
