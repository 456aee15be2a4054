import type { IncomingMessage, ServerResponse } from 'node:http';
import { isApiMethod } from '../../contract/api.ts';
import type { ApiErrorBody } from '../../contract/errors.ts';
import { ApiError, noSuchMethod, type Supervisor } from '../supervisor.ts';
import { originAllowed } from './auth.ts';
import { sendError, sendJson, sendText } from './reply.ts';

const MAX_BODY = 1024 * 1024;

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

/** The request's named arguments, from a JSON body of at most 1 MB (an empty one is `{}`); or why there are none. */
async function readArgs(req: IncomingMessage): Promise<{ args: unknown } | { error: ApiErrorBody }> {
  // JSON only: a plain HTML form on another site cannot send it.
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return {
      error: {
        code: 'bad_request',
        message: 'the body must be JSON',
        fix: 'send Content-Type: application/json with an object of named arguments',
      },
    };
  }
  const text = await readBody(req);
  if (text === undefined)
    return { error: { code: 'bad_request', message: 'the body is larger than 1 MB', fix: 'send only the named arguments' } };
  try {
    return { args: text.trim() ? JSON.parse(text) : {} };
  } catch {
    return {
      error: {
        code: 'bad_request',
        message: 'the body is not valid JSON',
        fix: 'send an object of named arguments, e.g. {"project_id": "..."}',
      },
    };
  }
}

/**
 * `POST /api/<method>` with the arguments as a JSON body, from this server's own origin (the token
 * is checked before): answered `{ result }`, or `{ error }` with the status of the error's code.
 */
export async function handleApi(supervisor: Supervisor, port: number, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = url.pathname.slice('/api/'.length);
  if (method === 'events') return sendText(res, 426, 'The event stream is a WebSocket: connect with ws://.');
  if (req.method !== 'POST')
    return sendError(res, {
      code: 'bad_request',
      message: `${req.method ?? ''} ${url.pathname}: the API takes POST`,
      fix: `POST the arguments as JSON to /api/${method}`,
    });
  if (!originAllowed(req, port)) return sendText(res, 403, 'Cross-origin requests are refused.');
  const read = await readArgs(req);
  if ('error' in read) return sendError(res, read.error);
  if (!isApiMethod(method)) return sendError(res, noSuchMethod(method));
  try {
    sendJson(res, 200, { result: await supervisor.call(method, read.args) });
  } catch (error) {
    if (error instanceof ApiError) return sendError(res, error.body);
    sendError(res, { code: 'internal', message: (error as Error).message });
  }
}
