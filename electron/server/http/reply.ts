import type { ServerResponse } from 'node:http';
import { HTTP_STATUS, type ApiErrorBody } from '../../contract/errors.ts';

/** Answers with a JSON body, never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Answers a refused request: `{ error: body }` with the HTTP status of its code. */
export const sendError = (res: ServerResponse, body: ApiErrorBody): void => sendJson(res, HTTP_STATUS[body.code], { error: body });

/** Answers with one line of text, for a person reading it in the browser. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}
