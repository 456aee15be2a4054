/**
 * The wording of the notifications both hosts show — the CLI through node-notifier, the desktop
 * app through Electron — so a report or an error reads the same wherever Goldloop runs. Plain
 * strings in, plain strings out: shared imports nothing (the renderer compiles it without Node).
 */

/** One notification's text. */
export interface NoticeText {
  title: string;
  message: string;
}

export type ReportKind = 'progress' | 'status' | 'final';

const KIND_TITLE: Record<ReportKind, string> = { progress: 'progress report', status: 'status report', final: 'final report — gold' };

/** Longest error text shown: notification centres cut longer bodies anyway, mid-word. */
export const MAX_NOTICE_MESSAGE = 240;

/** The file name of a path written on any platform (no node:path here). */
export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** "Goldloop · shop: progress report" / "Written to <file>". */
export function reportNotice(projectName: string, kind: ReportKind, path: string): NoticeText {
  return { title: `Goldloop · ${projectName}: ${KIND_TITLE[kind]}`, message: `Written to ${fileName(path)}` };
}

/** "Goldloop · shop: error" with the alert's message, cut to `MAX_NOTICE_MESSAGE`. */
export function errorNotice(projectName: string, message: string): NoticeText {
  return { title: `Goldloop · ${projectName}: error`, message: message.slice(0, MAX_NOTICE_MESSAGE) };
}
