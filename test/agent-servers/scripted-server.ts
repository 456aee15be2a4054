/**
 * A local HTTP server that plays the model for one agent CLI: on 127.0.0.1, on a free port, it
 * answers each of the CLI's model requests with the next reply of its script and logs every
 * request. Requests that are not the agent's turn (a title, a routing or next-speaker check) get
 * the API's short side answer and take no reply from the script. The API itself (paths, bytes) is
 * a `Dialect`, one file per vendor.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isResponse, usageOf, type Reply, type Usage } from './script.ts';

export interface ModelRequest {
  method: string;
  /** The path and query, e.g. `/v1/messages?beta=true`. */
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined when there is none or it is not JSON). */
  body: Record<string, unknown> | undefined;
  /** The raw body, for a test that looks for a word in the conversation. */
  text: string;
}

/** One request as the server logged it, with what it answered. */
export interface LoggedRequest extends ModelRequest {
  at: number;
  /** `turn`: the script's reply number `turn`; `side`: a side answer; `exhausted`: no reply left (HTTP 500). */
  answer: 'turn' | 'side' | 'exhausted' | 'other';
  turn?: number;
  /** The usage the reply reported, for a turn that answered with a response. */
  usage?: Usage;
  /** Why the scripted reply could not be given (the request lacked what it needs). */
  error?: string;
}

/** What a vendor's API looks like on the wire. */
export interface Dialect {
  /** Whether the request is the agent's turn (takes the next scripted reply). */
  isTurn(request: ModelRequest): boolean;
  /** Whether the request is a side request with an answer of its own (a title, a check). */
  isSide?(request: ModelRequest): boolean;
  side?(request: ModelRequest, res: ServerResponse): void;
  respond(reply: Reply, context: { turn: number; usage: Usage | undefined; request: ModelRequest }, res: ServerResponse): void;
}

export class ScriptedServer {
  readonly requests: LoggedRequest[] = [];
  private readonly queue: Reply[] = [];
  private turns = 0;
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly dialect: Dialect) {}

  /** Starts listening on 127.0.0.1 on a free port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Adds replies to the end of the script. */
  script(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The requests that took a scripted reply, in order. */
  get turnRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.answer === 'turn');
  }

  /** Replies not yet taken. */
  get left(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: ModelRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: parseBody(text),
        text,
      };
      const logged: LoggedRequest = { ...request, at: Date.now(), answer: 'other' };
      this.requests.push(logged);
      if (request.method === 'POST' && this.dialect.isSide?.(request)) {
        logged.answer = 'side';
        this.dialect.side!(request, res);
      } else if (request.method === 'POST' && this.dialect.isTurn(request)) {
        this.turn(request, logged, res);
      } else {
        // A probe (`HEAD /`), a models list: nothing the script decides.
        res.writeHead(request.method === 'HEAD' ? 200 : 404, { 'content-type': 'application/json' });
        res.end(request.method === 'HEAD' ? undefined : '{"error":{"message":"not scripted"}}');
      }
    });
  }

  private turn(request: ModelRequest, logged: LoggedRequest, res: ServerResponse): void {
    const reply = this.queue.shift();
    if (!reply) {
      logged.answer = 'exhausted';
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"type":"api_error","message":"the scripted model has no reply left"}}');
      return;
    }
    const turn = ++this.turns;
    const usage = isResponse(reply) ? usageOf(reply, turn) : undefined;
    Object.assign(logged, { answer: 'turn', turn, ...(usage ? { usage } : {}) });
    try {
      this.dialect.respond(reply, { turn, usage, request }, res);
    } catch (error) {
      // A script the request cannot carry out: the CLI sees a server error, the log says why.
      logged.error = (error as Error).message;
      json(res, 500, { error: { type: 'api_error', message: `the scripted model failed: ${logged.error}` } });
    }
  }
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a Server-Sent Events answer; `send` writes one event (named, or data only). */
export function sse(res: ServerResponse): { send: (data: unknown, event?: string) => void; end: () => void } {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  return {
    send: (data, event) =>
      res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`),
    end: () => res.end(),
  };
}

/**
 * The folder the CLI told the model it works in ("Primary working directory: …" in Claude Code's
 * system prompt, "Working directory: …" in OpenCode's): a model writes the absolute paths its tools
 * want from it, so a CLI that names the wrong folder edits the wrong folder, as it would for real.
 */
export function toldWorkingDirectory(request: ModelRequest): string {
  const told = /(?:Primary working directory|Working directory): ([^\\"\n]+)/.exec(request.text)?.[1];
  if (!told) throw new Error('the CLI named no working directory in its request');
  return told.trim();
}

/** A JSON answer with a status and headers. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
