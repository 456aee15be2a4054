/**
 * The dashboard window's security rules as pure functions (Electron's security checklist): which
 * origin is the app, which links may leave it, which Content-Security-Policy it gets.
 */
import { contentSecurityPolicy } from '../server/http/static.ts';

/** The dashboard is served from a privileged custom scheme, not file://: one origin, and the built page's absolute `/assets/...` paths work as they do under `goldloop serve`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'goldloop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The URL the window loads; `hash` carries a notification's target (project and item). */
export const dashboardUrl = (hash?: string): string => `${APP_ORIGIN}/index.html${hash ? `#${hash}` : ''}`;

/** True when `url` is a page of the dashboard itself. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Hosts a link in the dashboard may open in the user's browser (help and project pages). Only
 * https, only these hosts, no credentials in the URL: anything else is refused, so a link planted
 * in a report cannot launch another app's URL scheme or a phishing page.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'github.com',
  'docs.anthropic.com',
  'developers.openai.com',
  'ai.google.dev',
  'opencode.ai',
  'aider.chat',
];

export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  return hosts.includes(parsed.hostname.toLowerCase());
}

/**
 * The server's policy (own scripts and styles only, no inline script, no eval, no frames, no
 * forms), with `connect-src 'none'`: in the app the API travels over IPC, so the page needs no
 * network at all.
 */
export function appContentSecurityPolicy(): string {
  return contentSecurityPolicy(0)
    .split('; ')
    .map((directive) => (directive.startsWith('connect-src ') ? "connect-src 'none'" : directive))
    .join('; ');
}

/** The shape of an IPC event that the sender check reads (Electron's IpcMainInvokeEvent). */
export interface SenderInfo {
  sender: unknown;
  senderFrame: { url: string } | null;
}

/**
 * Electron security checklist item 17: an IPC message is served only when it comes from the
 * dashboard window's own webContents, from its main frame's app origin (not an iframe or a page
 * it was tricked into loading).
 */
export function isTrustedSender(event: SenderInfo, dashboard: unknown): boolean {
  return dashboard !== undefined && event.sender === dashboard && event.senderFrame !== null && isAppUrl(event.senderFrame.url);
}
