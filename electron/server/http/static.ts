import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The Content-Type of a dashboard file, for the HTTP server and the desktop app's protocol alike. */
export const contentType = (file: string): string => TYPES[extname(file)] ?? 'application/octet-stream';

/**
 * The page's Content-Security-Policy: its own scripts and styles only (no inline script, no
 * eval), and connections only back to this server, over HTTP and the event WebSocket.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The file under `root` a URL path names, or undefined when it escapes `root` or is hidden. */
export function resolveStatic(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  if (relative.split(/[/\\]/).some((part) => part === '..' || part.startsWith('.'))) return undefined;
  const file = join(root, relative);
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

/** Sends a built file; false when there is none (the caller answers 404). */
export async function sendStatic(root: string, pathname: string, res: ServerResponse): Promise<boolean> {
  const file = resolveStatic(root, pathname);
  if (!file) return false;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  const immutable = pathname.startsWith('/assets/');
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': info.size,
    // Vite puts a content hash in every asset name, so they never change; the page itself may.
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
  });
  return true;
}
