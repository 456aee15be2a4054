import { access } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Supervisor } from '../supervisor.ts';
import { handleApi } from './api.ts';
import { assertLoopback, cookieName, hostAllowed, LOOPBACK, newToken, originAllowed, tokenSource } from './auth.ts';
import { attachEventStream } from './events.ts';
import { sendError, sendText } from './reply.ts';
import { contentSecurityPolicy, sendStatic } from './static.ts';

export interface ServeOptions {
  supervisor: Supervisor;
  /** 0 picks a free port. */
  port: number;
  /** Only 127.0.0.1 is accepted. */
  host?: string;
  /** The built dashboard (vite's output, with index.html). */
  staticDir: string;
  /** A fixed token (tests); default: a fresh random one. */
  token?: string;
}

export interface RunningServer {
  /** The URL to open: it carries the token. Print it; never log it anywhere else. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Thrown when the dashboard has not been built. */
export class DashboardMissingError extends Error {}

/** Checks the build is there, so `serve` can say what to do instead of serving 404s. */
export async function assertDashboardBuilt(staticDir: string): Promise<void> {
  try {
    await access(join(staticDir, 'index.html'));
  } catch {
    throw new DashboardMissingError(
      `the dashboard is not built (no ${join(staticDir, 'index.html')}): run \`npm run build:renderer\` in the Goldloop folder, then \`goldloop serve\` again`,
    );
  }
}

const UNAUTHORIZED = 'Goldloop: this address needs the token. Open the URL that `goldloop serve` printed (it ends in ?token=...).';

/** What every request is answered from; `port` is the one listened on, known once listening. */
interface Site {
  supervisor: Supervisor;
  staticDir: string;
  token: string;
  port: number;
}

function setSecurityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
}

/**
 * The request target as a URL on this server, or undefined when it cannot be parsed (`http://[`).
 * Nothing that can throw runs before the token check.
 */
function targetOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', `http://${LOOPBACK}`);
  } catch {
    return undefined;
  }
}

/**
 * A path on this origin for a Location header: one leading slash, whatever the target had.
 * `//evil.com` (from `/.//evil.com`) or `/\evil.com` would send the browser to another host.
 */
const sameOriginPath = (url: URL): string => `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;

/** Trades the token in the URL for a cookie, and takes it out of the address bar and history. */
function tradeTokenForCookie(site: Site, url: URL, res: ServerResponse): void {
  url.searchParams.delete('token');
  res.writeHead(303, {
    'Set-Cookie': `${cookieName(site.port)}=${site.token}; HttpOnly; SameSite=Strict; Path=/`,
    Location: sameOriginPath(url),
    'Cache-Control': 'no-store',
  });
  res.end();
}

/** One HTTP request: the Host and the token first, then the API or a file of the dashboard. */
async function handle(site: Site, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { port } = site;
  setSecurityHeaders(res, port);
  const url = targetOf(req);
  if (!url) return sendText(res, 400, 'Goldloop: the request target cannot be read.');
  const api = url.pathname.startsWith('/api/');
  if (!hostAllowed(req, port))
    return sendText(res, 403, `Goldloop answers only to 127.0.0.1:${port} (got Host: ${req.headers.host ?? 'none'}).`);
  const source = tokenSource(req, url, site.token, port);
  if (!source) {
    if (api)
      return sendError(res, {
        code: 'unauthorized',
        message: 'the token is missing or wrong',
        fix: 'open the URL goldloop serve printed, or send Authorization: Bearer <token>',
      });
    return sendText(res, 401, UNAUTHORIZED);
  }
  if (source === 'query' && req.method === 'GET' && !api) return tradeTokenForCookie(site, url, res);
  if (api) return handleApi(site.supervisor, port, req, res, url);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Only GET is served here; the API is POST /api/<method>.');
  if (!(await sendStatic(site.staticDir, url.pathname, res))) sendText(res, 404, `Not found: ${url.pathname}`);
}

/** The event WebSocket, `/api/events`: the same Host, Origin and token checks as every request. */
function upgrade(site: Site, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const refuse = (status: string): void => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const url = targetOf(req);
  if (!url) return refuse('400 Bad Request');
  if (url.pathname !== '/api/events') return refuse('404 Not Found');
  if (!hostAllowed(req, site.port) || !originAllowed(req, site.port)) return refuse('403 Forbidden');
  if (!tokenSource(req, url, site.token, site.port)) return refuse('401 Unauthorized');
  wss.handleUpgrade(req, socket, head, (ws) => attachEventStream(ws, site.supervisor));
}

/** Listens on `host`; resolves with the port (the one picked when `port` is 0). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return address && typeof address === 'object' ? address.port : port;
}

/**
 * Serves the dashboard and the API on 127.0.0.1: the built page, `POST /api/<method>` with the
 * arguments as a JSON body, and the event WebSocket `/api/events`. Every request needs the token
 * (the printed URL's query on the first visit, then an HttpOnly SameSite=Strict cookie; or a
 * Bearer header for tools); a wrong Host or Origin is refused too, against DNS rebinding and
 * cross-site requests.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? LOOPBACK;
  assertLoopback(host);
  const site: Site = {
    supervisor: options.supervisor,
    staticDir: options.staticDir,
    token: options.token ?? newToken(),
    port: options.port,
  };
  const server = createServer((req, res) => {
    handle(site, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, { code: 'internal', message: (error as Error).message });
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => upgrade(site, wss, req, socket, head));
  site.port = await listen(server, site.port, host);

  return {
    url: `http://${LOOPBACK}:${site.port}/?token=${site.token}`,
    port: site.port,
    token: site.token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
