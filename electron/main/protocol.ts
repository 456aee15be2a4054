/**
 * The `app://goldloop/` scheme that serves the built dashboard to the window. A custom scheme
 * instead of file://: the page gets one origin of its own (the IPC sender check pins it), the
 * build's absolute `/assets/...` paths work as under `goldloop serve`, and every response carries
 * the Content-Security-Policy.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentType, resolveStatic } from '../server/http/static.ts';
import { APP_HOST, APP_SCHEME, appContentSecurityPolicy } from './security.ts';

/** Must run before the app is ready: a standard, secure scheme (so the page is a secure context). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

/** Serves `staticDir` (vite's output) on the scheme; the same path check as the HTTP server's. */
export function serveDashboard(staticDir: string): void {
  const headers = (type: string): Record<string, string> => ({
    'Content-Type': type,
    'Content-Security-Policy': appContentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET')
      return new Response('Not found', { status: 404, headers: headers('text/plain') });
    const file = resolveStatic(staticDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return new Response('Not found', { status: 404, headers: headers('text/plain') });
    try {
      return new Response(await readFile(file), { status: 200, headers: headers(contentType(file)) });
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain') });
    }
  });
}
