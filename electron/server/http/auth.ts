import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The only address `goldloop serve` binds to: the dashboard drives agents that edit code, so it never listens beyond this machine. */
export const LOOPBACK = '127.0.0.1';

/** Thrown for a host other than 127.0.0.1. */
export class HostRefusedError extends Error {}

/** Refuses any host but 127.0.0.1, saying why. */
export function assertLoopback(host: string): void {
  if (host !== LOOPBACK) {
    throw new HostRefusedError(
      `--host ${host}: refused. goldloop serve listens on ${LOOPBACK} only (it starts agents that edit your code); to watch from another machine, use an SSH tunnel: ssh -L 4717:127.0.0.1:4717 <this machine>`,
    );
  }
}

/** A fresh secret for one server's lifetime: 24 random bytes, URL-safe. */
export const newToken = (): string => randomBytes(24).toString('base64url');

/** The cookie that carries the token after the first visit; per port, since cookies ignore ports. */
export const cookieName = (port: number): string => `goldloop_${port}`;

function safeEqual(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where the request carried the right token, if it did: the URL (first visit), the cookie, or a Bearer header (tools). */
export function tokenSource(req: IncomingMessage, url: URL, token: string, port: number): 'query' | 'cookie' | 'header' | undefined {
  const query = url.searchParams.get('token');
  if (query !== null && safeEqual(query, token)) return 'query';
  const cookie = cookieValue(req.headers.cookie, cookieName(port));
  if (cookie !== undefined && safeEqual(cookie, token)) return 'cookie';
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && safeEqual(auth.slice(7).trim(), token)) return 'header';
  return undefined;
}

/**
 * The Host header must name this server as the browser reached it; anything else is a page on
 * another site that rebound its DNS name to 127.0.0.1 (DNS rebinding).
 */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

/** A request from a page must come from this server's own origin (no Origin: a tool, not a page). */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${LOOPBACK}:${port}` || origin === `http://localhost:${port}`;
}
