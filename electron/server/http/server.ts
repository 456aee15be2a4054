import { access } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { isApiMethod } from '../../contract/api.ts';
import { ApiError, noSuchMethod, type Supervisor } from '../supervisor.ts';
import { HTTP_STATUS } from '../../contract/errors.ts';
import type { ApiErrorBody } from '../../contract/errors.ts';
import { assertLoopback, cookieName, hostAllowed, LOOPBACK, newToken, originAllowed, tokenSource } from './auth.ts';
import { attachEventStream } from './events.ts';
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

const MAX_BODY = 1024 * 1024;

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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

const sendError = (res: ServerResponse, body: ApiErrorBody): void => sendJson(res, HTTP_STATUS[body.code], { error: body });

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const UNAUTHORIZED = 'Goldloop: this address needs the token. Open the URL that `goldloop serve` printed (it ends in ?token=...).';

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
  const token = options.token ?? newToken();
  const { supervisor, staticDir } = options;
  let port = options.port;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
    if (!hostAllowed(req, port))
      return sendText(res, 403, `Goldloop answers only to 127.0.0.1:${port} (got Host: ${req.headers.host ?? 'none'}).`);
    const source = tokenSource(req, url, token, port);
    if (!source) {
      if (url.pathname.startsWith('/api/'))
        return sendError(res, {
          code: 'unauthorized',
          message: 'the token is missing or wrong',
          fix: 'open the URL goldloop serve printed, or send Authorization: Bearer <token>',
        });
      return sendText(res, 401, UNAUTHORIZED);
    }
    if (source === 'query' && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // Trade the token in the URL for a cookie, and take it out of the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Only GET is served here; the API is POST /api/<method>.');
    if (!(await sendStatic(staticDir, url.pathname, res))) sendText(res, 404, `Not found: ${url.pathname}`);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = url.pathname.slice('/api/'.length);
    if (method === 'events') return sendText(res, 426, 'The event stream is a WebSocket: connect with ws://.');
    if (req.method !== 'POST')
      return sendError(res, {
        code: 'bad_request',
        message: `${req.method ?? ''} ${url.pathname}: the API takes POST`,
        fix: `POST the arguments as JSON to /api/${method}`,
      });
    if (!originAllowed(req, port)) return sendText(res, 403, 'Cross-origin requests are refused.');
    // JSON only: a plain HTML form on another site cannot send it.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, {
        code: 'bad_request',
        message: 'the body must be JSON',
        fix: 'send Content-Type: application/json with an object of named arguments',
      });
    }
    const text = await readBody(req);
    if (text === undefined)
      return sendError(res, { code: 'bad_request', message: 'the body is larger than 1 MB', fix: 'send only the named arguments' });
    let args: unknown;
    try {
      args = text.trim() ? JSON.parse(text) : {};
    } catch {
      return sendError(res, {
        code: 'bad_request',
        message: 'the body is not valid JSON',
        fix: 'send an object of named arguments, e.g. {"projectId": "..."}',
      });
    }
    if (!isApiMethod(method)) return sendError(res, noSuchMethod(method));
    try {
      sendJson(res, 200, { result: await supervisor.call(method, args) });
    } catch (error) {
      if (error instanceof ApiError) return sendError(res, error.body);
      sendError(res, { code: 'internal', message: (error as Error).message });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, { code: 'internal', message: (error as Error).message });
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api/events') return refuse('404 Not Found');
    if (!hostAllowed(req, port) || !originAllowed(req, port)) return refuse('403 Forbidden');
    if (!tokenSource(req, url, token, port)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attachEventStream(ws, supervisor));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
